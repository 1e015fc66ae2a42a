package org.m800.sdk.verification.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.HttpService;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.verification.VerificationError;
import org.m800.sdk.verification.VerificationException;
import org.m800.sdk.verification.VerificationManager;
import org.m800.sdk.verification.VerificationMethod;
import org.m800.sdk.verification.VerificationSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VerificationManager} on the {@link FeatureManager} base, over {@code service.http} and the
 * endpoints of docs/protocol.md section 11. Closing (the feature leaving the client) fails every
 * pending call with FEATURE_UNAVAILABLE / {@link VerificationError#FEATURE_REMOVED} (more precise than
 * the base's CLOSED, and documented as such) and stops the sessions' timers.
 */
public final class HttpVerificationManager extends FeatureManager implements VerificationManager {

    static final String PATH = "/v1/verification/";
    private static final Logger LOG = LoggerFactory.getLogger(HttpVerificationManager.class);

    private final HttpService http;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final List<VerificationSessionImpl> sessions = new CopyOnWriteArrayList<>();
    private final java.util.function.Consumer<HttpVerificationManager> onClose;
    private final java.time.Duration requestTimeout;

    /**
     * @param onClose told when the instance closes
     */
    public HttpVerificationManager(ModuleContext ctx, java.util.function.Consumer<HttpVerificationManager> onClose) {
        super(ctx);
        this.onClose = onClose;
        this.requestTimeout = ctx.config().requestTimeout();
        this.http = ctx.dependency(HttpService.MODULE, HttpService.class);
        start();
    }

    @Override
    public CompletableFuture<VerificationSession> start(String phoneNumber, VerificationMethod method, Locale locale) {
        return call(() -> {
            Locale l = locale == null ? Locale.getDefault() : locale;
            String region = l.getCountry().matches("[A-Za-z]{2}") ? l.getCountry() : null;
            String e164 = PhoneNumberChecker.normalize(phoneNumber, region, method);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("phoneNumber", e164);
            body.put("method", method.name());
            body.put("locale", languageTag(l));
            return post("start", body, -1).thenApply(answer -> {
                VerificationSessionImpl s = new VerificationSessionImpl(this, answer);
                sessions.add(s);
                s.fireInitial();
                return (VerificationSession) s;
            });
        });
    }

    /**
     * Starts an operation by the core API 1.2 rule: what {@code op} throws (bad input) fails the future;
     * once the feature is removed the future fails with FEATURE_REMOVED.
     */
    <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> op) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(removed("the verification feature of client " + clientId()
                    + " was removed"));
        }
        return attempt(op);
    }

    @Override
    public String normalize(String phoneNumber, String defaultRegion, VerificationMethod method) {
        return PhoneNumberChecker.normalize(phoneNumber, defaultRegion, method);
    }

    @Override
    public List<VerificationSession> sessions() {
        List<VerificationSession> open = new ArrayList<>();
        for (VerificationSessionImpl s : sessions) {
            if (!s.status().isFinal()) {
                open.add(s);
            }
        }
        return open;
    }

    @Override
    public CompletableFuture<String> attachPhoneNumber(String proof) {
        return call(() -> {
            if (proof == null || proof.isBlank()) {
                throw M800Exception.invalidArgument("proof is required: the proof of a verification of this application");
            }
            requireUser();
            return request("phone.attach", Map.of("proof", proof.strip()))
                    .thenApply(d -> new org.m800.sdk.core.WireFields(d, "phone.attach").text("phoneNumber"));
        });
    }

    @Override
    public CompletableFuture<Void> removePhoneNumber(String phoneNumber) {
        return call(() -> {
            if (phoneNumber == null || !phoneNumber.strip().matches("\\+[1-9][0-9]{6,14}")) {
                throw M800Exception.invalidArgument("phoneNumber '" + phoneNumber
                        + "' is not an E.164 number (+ and 7 to 15 digits, no spaces)");
            }
            requireUser();
            return request("phone.remove", Map.of("phoneNumber", phoneNumber.strip())).thenApply(d -> null);
        });
    }

    @Override
    public CompletableFuture<List<String>> phoneNumbers() {
        return call(() -> {
            requireUser();
            return request("phone.list", Map.of())
                    .thenApply(d -> List.copyOf(new org.m800.sdk.core.WireFields(d, "phone.list").texts("phoneNumbers")));
        });
    }

    private static String languageTag(Locale l) {
        String language = l.getLanguage().matches("[a-z]{2,8}") ? l.getLanguage() : "en";
        String country = l.getCountry().matches("[A-Z]{2}") ? l.getCountry() : "";
        return country.isEmpty() ? language : language + "-" + country;
    }

    /**
     * POSTs to {@code /v1/verification/<op>} with a fresh request id. The future fails with a
     * {@link VerificationException}; with FEATURE_REMOVED if the manager closes first.
     */
    CompletableFuture<Map<String, Object>> post(String op, Map<String, ?> body, int attemptsLeft) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(removed("the verification feature of client " + clientId()
                    + " was removed"));
        }
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        pending.add(result);
        if (isClosed()) {
            // closed between the check above and the add: onClose's sweep may have missed this call
            pending.remove(result);
            return CompletableFuture.failedFuture(removed("the verification feature of client " + clientId()
                    + " was removed"));
        }
        result.whenComplete((r, e) -> pending.remove(result));
        CompletableFuture<Map<String, Object>> call;
        try {
            call = http.post(HttpService.Endpoint.VERIFICATION, PATH + op, body, null, "verification-" + UUID.randomUUID());
        } catch (M800Exception e) {
            pending.remove(result);
            return CompletableFuture.failedFuture(e);
        }
        call.whenComplete((answer, failure) -> {
            if (failure == null) {
                result.complete(answer);
            } else {
                result.completeExceptionally(WireFailures.translate(failure, attemptsLeft));
            }
        });
        return result;
    }

    static VerificationException removed(String message) {
        return new VerificationException(ErrorCode.FEATURE_UNAVAILABLE, VerificationError.FEATURE_REMOVED, message, -1, 0,
                null);
    }

    /** @return the client's request timeout */
    public java.time.Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Reads the development outbox of the verification server (docs/protocol.md 11.7), for the shell.
     *
     * @param body {@code phoneNumber} and {@code limit}, both optional
     */
    public CompletableFuture<Map<String, Object>> outbox(Map<String, ?> body) {
        return post("outbox", body, -1);
    }

    /** @return the shared scheduler, for the sessions' timers */
    ScheduledExecutorService timers() {
        return scheduler();
    }

    /** @return whether the feature left the client */
    boolean removedFromClient() {
        return isClosed();
    }

    /** @return the client's ordered event executor, for the sessions' listeners */
    java.util.concurrent.Executor events() {
        return eventExecutor();
    }

    /** Runs on the client's event threads (directly if they refuse, as while the client closes). */
    void onEventThread(Runnable task) {
        try {
            eventExecutor().execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    @Override
    protected void onClose() {
        onClose.accept(this);
        sessions.forEach(VerificationSessionImpl::stopTimers);
        List<CompletableFuture<?>> calls = List.copyOf(pending);
        pending.clear();
        if (!calls.isEmpty()) {
            LOG.info("Verification feature of client {} removed with {} call(s) pending; they fail", clientId(),
                    calls.size());
        }
        VerificationException failure = removed("the verification feature was removed from client " + clientId()
                + " while the call was pending");
        // now, not later: the base then fails what is still pending with CLOSED
        calls.forEach(f -> f.completeExceptionally(failure));
    }
}
