package org.m800.sdk.verification.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.core.WireFields;
import org.m800.sdk.verification.VerificationError;
import org.m800.sdk.verification.VerificationEvent;
import org.m800.sdk.verification.VerificationException;
import org.m800.sdk.verification.VerificationListener;
import org.m800.sdk.verification.VerificationMethod;
import org.m800.sdk.verification.VerificationSession;
import org.m800.sdk.verification.VerificationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session as the server last described it. State changes happen under the object's lock; listeners
 * are called afterwards, in order, on the client's event threads.
 */
final class VerificationSessionImpl implements VerificationSession {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationSessionImpl.class);

    private final HttpVerificationManager manager;
    private final String id;
    private final String phoneNumber;
    private final VerificationMethod method;
    private final int codeLength;
    private final String callerPrefix;
    private final ListenerList<VerificationListener> listeners;

    // guarded by this
    private VerificationStatus status;
    private int attemptsLeft;
    private Instant expiresAt;
    private String proof;
    private ScheduledFuture<?> expiryTimer;

    VerificationSessionImpl(HttpVerificationManager manager, Map<String, Object> answer) {
        this.manager = manager;
        WireFields f = fields(answer);
        this.id = f.text("sessionId");
        this.phoneNumber = f.text("phoneNumber");
        this.method = method(f.text("method"));
        this.codeLength = (int) f.num("codeLength");
        this.callerPrefix = f.text("callerPrefix", null);
        this.listeners = new ListenerList<>(manager.events(), "verification listener of session " + id);
        synchronized (this) {
            apply(answer);
        }
    }

    private static WireFields fields(Map<String, Object> answer) {
        return new WireFields(answer, "verification answer");
    }

    private static VerificationMethod method(String name) {
        try {
            return VerificationMethod.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw WireFields.protocol("verification answer: unknown method '" + name + "'");
        }
    }

    /** Takes over a session view of the server; returns whether the status changed. Caller holds the lock. */
    private boolean apply(Map<String, Object> answer) {
        WireFields f = fields(answer);
        VerificationStatus next = switch (f.text("status")) {
            case "VERIFIED" -> VerificationStatus.VERIFIED;
            case "LOCKED" -> VerificationStatus.LOCKED;
            case "CANCELLED" -> VerificationStatus.CANCELLED;
            case "EXPIRED" -> VerificationStatus.EXPIRED;
            default -> switch (f.text("delivery", "")) {
                case "DELIVERED" -> VerificationStatus.DELIVERED;
                case "FAILED" -> VerificationStatus.FAILED;
                default -> VerificationStatus.SENT;
            };
        };
        attemptsLeft = (int) f.num("attemptsLeft");
        long remaining = Math.max(0, f.num("expiresAt") - f.num("serverTime"));
        expiresAt = Instant.now().plusMillis(remaining);
        boolean changed = next != status;
        status = next;
        if (status.isFinal()) {
            stopTimersLocked();
        } else {
            scheduleExpiry(remaining);
        }
        return changed;
    }

    private void scheduleExpiry(long remainingMillis) {
        stopTimersLocked();
        if (manager.removedFromClient()) {
            return;
        }
        expiryTimer = manager.timers().schedule(() -> {
            boolean changed;
            synchronized (this) {
                changed = !status.isFinal() && !Instant.now().isBefore(expiresAt);
                if (changed) {
                    status = VerificationStatus.EXPIRED;
                }
            }
            if (changed) {
                fire("the code expired");
            }
        }, remainingMillis + 1, TimeUnit.MILLISECONDS);
    }

    void stopTimers() {
        synchronized (this) {
            stopTimersLocked();
        }
    }

    private void stopTimersLocked() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    void fireInitial() {
        fire(status == VerificationStatus.FAILED ? "the code could not be delivered" : "");
    }

    private void fire(String detail) {
        VerificationEvent event;
        synchronized (this) {
            event = new VerificationEvent(id, status, Instant.now(), attemptsLeft, detail);
        }
        listeners.emit(l -> l.onStatus(event));
    }

    private static void notify(VerificationListener l, VerificationEvent event) {
        try {
            l.onStatus(event);
        } catch (RuntimeException e) {
            LOG.warn("A verification listener threw on {}", event.status(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String phoneNumber() {
        return phoneNumber;
    }

    @Override
    public VerificationMethod method() {
        return method;
    }

    @Override
    public synchronized VerificationStatus status() {
        return status;
    }

    @Override
    public int codeLength() {
        return codeLength;
    }

    @Override
    public synchronized int attemptsLeft() {
        return attemptsLeft;
    }

    @Override
    public synchronized Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public Optional<String> callerPrefix() {
        return Optional.ofNullable(callerPrefix);
    }

    @Override
    public synchronized Optional<String> proof() {
        return Optional.ofNullable(proof);
    }

    @Override
    public CompletableFuture<String> check(String code) {
        return manager.call(() -> checkNow(code));
    }

    private CompletableFuture<String> checkNow(String code) {
        if (code == null) {
            throw VerificationException.invalid(VerificationError.INVALID_CODE, "code is required");
        }
        String digits = code.replaceAll("[\\s-]", "");
        if (!digits.matches("[0-9]{" + codeLength + "}")) {
            throw VerificationException.invalid(VerificationError.INVALID_CODE, "code must be " + codeLength
                    + " digits, got " + digits.length() + " character" + (digits.length() == 1 ? "" : "s"));
        }
        int left = attemptsLeft();
        // a refusal as WRONG_CODE costs one attempt
        CompletableFuture<Map<String, Object>> call = manager.post("check", Map.of("sessionId", id, "code", digits),
                Math.max(0, left - 1));
        return call.handle((answer, failure) -> {
            if (failure == null) {
                String token = fields(answer).text("proof");
                synchronized (this) {
                    proof = token;
                    apply(answer);
                }
                fire("");
                return token;
            }
            VerificationException e = WireFailures.translate(failure, Math.max(0, left - 1));
            afterFailure(e);
            throw e;
        });
    }

    @Override
    public CompletableFuture<String> checkIncomingCall(String callerNumber) {
        return manager.call(() -> checkIncomingCallNow(callerNumber));
    }

    private CompletableFuture<String> checkIncomingCallNow(String callerNumber) {
        if (method != VerificationMethod.FLASH_CALL) {
            throw VerificationException.invalid(VerificationError.OTHER,
                    "session " + id + " is a " + method + " verification, not a flash call");
        }
        String digits = callerNumber == null ? "" : callerNumber.replaceAll("[\\s()-]", "");
        if (callerPrefix != null && !digits.startsWith(callerPrefix)) {
            throw VerificationException.invalid(VerificationError.INVALID_CODE, "the incoming call is not from the "
                    + "verification caller (its number does not start with " + callerPrefix + ")");
        }
        if (digits.length() < codeLength) {
            throw VerificationException.invalid(VerificationError.INVALID_CODE, "the incoming number is shorter than the code");
        }
        return checkNow(digits.substring(digits.length() - codeLength));
    }

    /** Mirrors what a refusal says about the session and fires the event it implies. */
    private void afterFailure(VerificationException e) {
        VerificationStatus next = switch (e.error()) {
            case EXPIRED -> VerificationStatus.EXPIRED;
            case LOCKED -> VerificationStatus.LOCKED;
            case CANCELLED -> VerificationStatus.CANCELLED;
            case ALREADY_VERIFIED -> VerificationStatus.VERIFIED;
            case WRONG_CODE -> e.attemptsLeft() == 0 ? VerificationStatus.LOCKED : null;
            default -> null;
        };
        boolean changed;
        synchronized (this) {
            if (e.error() == VerificationError.WRONG_CODE) {
                attemptsLeft = Math.max(0, e.attemptsLeft());
            }
            changed = next != null && next != status;
            if (changed) {
                status = next;
                stopTimersLocked();
            }
        }
        if (changed) {
            fire(e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> resend() {
        return post("resend", true, changed -> {
            fire(status() == VerificationStatus.FAILED ? "the code could not be delivered" : "code resent");
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> cancel() {
        return post("cancel", true, changed -> {
            if (changed) {
                fire("cancelled");
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<VerificationStatus> refresh() {
        return post("status", false, changed -> {
            if (changed) {
                fire("");
            }
            return status();
        });
    }

    /**
     * Sends a request about this session: its answer is taken over (under the lock), then {@code then}
     * runs with whether the status changed; a refusal fails the future with a {@link VerificationException}.
     *
     * @param mirrorRefusal whether a refusal also moves the session (EXPIRED, LOCKED...), as the server's
     *        answer to resend or cancel says what became of it; a status query only reports
     */
    private <T> CompletableFuture<T> post(String op, boolean mirrorRefusal, Function<Boolean, T> then) {
        return manager.post(op, Map.of("sessionId", id), attemptsLeft()).handle((answer, failure) -> {
            if (failure == null) {
                boolean changed;
                synchronized (this) {
                    changed = apply(answer);
                }
                return then.apply(changed);
            }
            VerificationException e = WireFailures.translate(failure, -1);
            if (mirrorRefusal) {
                afterFailure(e);
            }
            throw e;
        });
    }

    @Override
    public Subscription addListener(VerificationListener listener) {
        Subscription subscription;
        VerificationEvent current;
        synchronized (this) {
            subscription = listeners.add(listener);
            current = new VerificationEvent(id, status, Instant.now(), attemptsLeft, "");
        }
        manager.onEventThread(() -> notify(listener, current));
        return subscription;
    }

    /** @deprecated since 1.1, {@link #addListener} */
    @Deprecated
    @Override
    public Subscription onStatus(VerificationListener listener) {
        return addListener(listener);
    }

    @Override
    public String toString() {
        return "VerificationSession[" + id + ", " + method + ", " + status() + "]";
    }
}
