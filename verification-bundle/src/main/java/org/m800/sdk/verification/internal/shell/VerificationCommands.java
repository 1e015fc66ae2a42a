package org.m800.sdk.verification.internal.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDirectory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.verification.VerificationMethod;
import org.m800.sdk.verification.VerificationSession;
import org.m800.sdk.verification.internal.HttpVerificationManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code m800} that run a verification end to end against a client's
 * verificationServers (in the runtime: the embedded server, whose HTTP origin the runtime publishes
 * as {@code m800.defaults.verificationServers}, the default of {@code m800:create}):
 *
 * <pre>
 * m800:verify demo +447400123456 sms en-GB
 * m800:verifyoutbox demo          (the development outbox shows the code)
 * m800:verifycheck demo 123456    (prints the proof)
 * </pre>
 *
 * <p>Every open client of the framework is found through the core's {@link ClientDirectory}, however
 * it was made ({@code m800:create}, {@code etc/*.cfg}, in code).
 */
@Component(service = VerificationCommands.class, immediate = true, property = {
        "osgi.command.scope=m800",
        "osgi.command.function=verify",
        "osgi.command.function=verifycheck",
        "osgi.command.function=verifyresend",
        "osgi.command.function=verifycancel",
        "osgi.command.function=verifystatus",
        "osgi.command.function=verifyoutbox",
        "osgi.command.function=verifysignup" })
public final class VerificationCommands {

    private final ClientDirectory clients;
    /** The last session each client started from the shell. */
    private final Map<String, VerificationSession> last = new ConcurrentHashMap<>();

    /** Called by Declarative Services. */
    @Activate
    public VerificationCommands(@Reference ClientDirectory clients) {
        this.clients = clients;
    }

    @Deactivate
    private void deactivate() {
        last.clear();
    }

    /** {@code m800:verify <clientId> <number> [sms|voice|flash] [locale]}: starts a verification. */
    public String verify(String clientId, String number, String... options) throws InterruptedException {
        HttpVerificationManager manager = manager(clientId);
        VerificationMethod method = options.length > 0 ? method(options[0]) : VerificationMethod.SMS;
        Locale locale = options.length > 1 ? Locale.forLanguageTag(options[1]) : null;
        VerificationSession s = join(manager.start(number, method, locale), manager);
        last.put(clientId, s);
        return "verification " + s.id() + " of " + s.phoneNumber() + " by " + s.method() + ": " + s.status()
                + ", " + s.codeLength() + "-digit code, expires " + s.expiresAt()
                + s.callerPrefix().map(p -> ", caller number starts with " + p).orElse("");
    }

    /** {@code m800:verifycheck <clientId> <code>}: checks a code of the last verification; prints the proof. */
    public String verifycheck(String clientId, String code) throws InterruptedException {
        VerificationSession s = session(clientId);
        String proof = join(s.method() == VerificationMethod.FLASH_CALL && code.startsWith("+")
                ? s.checkIncomingCall(code) : s.check(code), manager(clientId));
        return "verified " + s.phoneNumber() + "; proof " + proof;
    }

    /** {@code m800:verifyresend <clientId>}: sends a new code for the last verification. */
    public String verifyresend(String clientId) throws InterruptedException {
        VerificationSession s = session(clientId);
        join(s.resend(), manager(clientId));
        return "resent: " + s.status() + ", expires " + s.expiresAt();
    }

    /** {@code m800:verifycancel <clientId>}: cancels the last verification. */
    public String verifycancel(String clientId) throws InterruptedException {
        VerificationSession s = session(clientId);
        join(s.cancel(), manager(clientId));
        return "cancelled " + s.id();
    }

    /** {@code m800:verifystatus <clientId>}: the server's status of the last verification. */
    public String verifystatus(String clientId) throws InterruptedException {
        VerificationSession s = session(clientId);
        return s.id() + " " + s.phoneNumber() + " " + s.method() + ": " + join(s.refresh(), manager(clientId))
                + ", " + s.attemptsLeft() + " attempts left, expires " + s.expiresAt();
    }

    /**
     * {@code m800:verifysignup <clientId> <username> <password>}: signs up with the proof of the last
     * verification (for applications whose server requires a verified number).
     */
    public String verifysignup(String clientId, String username, String password) throws InterruptedException {
        Client client = clients.require(clientId);
        String proof = session(clientId).proof().orElseThrow(() -> new M800Exception(ErrorCode.ILLEGAL_STATE,
                "the last verification of " + clientId + " is not verified; run m800:verifycheck first"));
        var profile = join(client.require(org.m800.sdk.core.AccountManager.class).signUp(username, password, null, proof),
                manager(clientId));
        return "signed up and logged in as " + profile.username() + " (" + profile.userId() + ") with a verified number";
    }

    /**
     * {@code m800:verifyoutbox <clientId> [number]}: the newest codes of the development outbox of the
     * client's verification server (its loopback-only admin route), for the client's application.
     */
    public String verifyoutbox(String clientId, String... number) throws InterruptedException {
        HttpVerificationManager manager = manager(clientId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", 10);
        if (number.length > 0) {
            body.put("phoneNumber", manager.normalize(number[0], null, VerificationMethod.VOICE_CALL));
        }
        Map<String, Object> answer = join(manager.outbox(body), manager);
        Object deliveries = answer.get("deliveries");
        List<String> lines = new ArrayList<>();
        if (deliveries instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> d) {
                    lines.add(d.get("phoneNumber") + " " + d.get("method") + " code " + d.get("code")
                            + (d.get("callerNumber") == null ? "" : " caller " + d.get("callerNumber"))
                            + " session " + d.get("sessionId") + " at " + java.time.Instant.ofEpochMilli(
                                    ((Number) d.get("at")).longValue()));
                }
            }
        }
        return lines.isEmpty() ? "the outbox is empty" : String.join("\n", lines);
    }

    private static VerificationMethod method(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sms" -> VerificationMethod.SMS;
            case "voice", "voice_call", "call" -> VerificationMethod.VOICE_CALL;
            case "flash", "flash_call" -> VerificationMethod.FLASH_CALL;
            default -> throw M800Exception.invalidArgument("method '" + name + "' is not one of sms, voice, flash");
        };
    }

    private VerificationSession session(String clientId) {
        VerificationSession s = last.get(clientId);
        if (s == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "client " + clientId + " has no verification; run m800:verify first");
        }
        return s;
    }

    private HttpVerificationManager manager(String clientId) {
        return clients.require(clientId).module(HttpVerificationManager.class).orElseThrow(() -> new M800Exception(ErrorCode.FEATURE_UNAVAILABLE,
                "the verification feature is not ready in a client " + clientId + "; m800:clients lists the clients, "
                        + "m800:status " + clientId + " tells what a feature waits for"));
    }

    private static <T> T join(CompletableFuture<T> future, HttpVerificationManager manager)
            throws InterruptedException {
        long timeout = manager.requestTimeout().toMillis() * 2;
        try {
            return future.get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                throw m;
            }
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "no answer within " + timeout + " ms");
        }
    }
}
