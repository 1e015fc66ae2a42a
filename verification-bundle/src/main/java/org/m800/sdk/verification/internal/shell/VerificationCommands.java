package org.m800.sdk.verification.internal.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.Descriptor;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.shell.ShellSupport;
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
 * <p>Every open client of the framework is found through the core's {@link ShellSupport}, however
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
        "osgi.command.function=verifysignup",
        "osgi.command.function=phoneattach",
        "osgi.command.function=phoneremove",
        "osgi.command.function=phones" })
public final class VerificationCommands {

    private final ShellSupport shell;
    /** The last session each client started from the shell. */
    private final Map<String, VerificationSession> last = new ConcurrentHashMap<>();

    /** Called by Declarative Services. */
    @Activate
    public VerificationCommands(@Reference ShellSupport shell) {
        this.shell = shell;
    }

    @Deactivate
    private void deactivate() {
        last.clear();
    }

    /** {@code m800:verify <clientId> <number> [sms|voice|flash] [locale]}: starts a verification. */
    @Descriptor("starts a phone-number verification; prints 'verification <id>'")
    public String verify(@Descriptor("the client id") String clientId,
            @Descriptor("the phone number, international (+44...) or national for the default region") String number,
            @Descriptor("[sms|voice|flash] [locale]: the method (default sms) and the language of the message, such as en-GB") String... options)
            throws InterruptedException {
        HttpVerificationManager manager = manager(clientId);
        VerificationMethod method = options.length > 0 ? method(options[0]) : VerificationMethod.SMS;
        Locale locale = options.length > 1 ? Locale.forLanguageTag(options[1]) : null;
        VerificationSession s = join(manager.start(number, method, locale), manager);
        last.put(clientId, s);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("verification", s.id());
        fields.put("phoneNumber", s.phoneNumber());
        fields.put("method", s.method().toString());
        fields.put("status", s.status().toString());
        fields.put("codeLength", s.codeLength());
        fields.put("expiresAt", String.valueOf(s.expiresAt()));
        return shell.result("verification " + s.id() + " of " + s.phoneNumber() + " by " + s.method() + ": " + s.status()
                + ", " + s.codeLength() + "-digit code, expires " + s.expiresAt()
                + s.callerPrefix().map(p -> ", caller number starts with " + p).orElse(""), fields);
    }

    /** {@code m800:verifycheck <clientId> <code>}: checks a code of the last verification; prints the proof. */
    @Descriptor("checks the code of the last verification; prints the proof")
    public String verifycheck(@Descriptor("the client id") String clientId,
            @Descriptor("the code received (for a flash call: the caller's number)") String code)
            throws InterruptedException {
        VerificationSession s = session(clientId);
        String proof = join(s.method() == VerificationMethod.FLASH_CALL && code.startsWith("+")
                ? s.checkIncomingCall(code) : s.check(code), manager(clientId));
        return shell.result("verified " + s.phoneNumber() + "; proof " + proof,
                Map.of("verified", s.phoneNumber(), "proof", proof));
    }

    /** {@code m800:verifyresend <clientId>}: sends a new code for the last verification. */
    @Descriptor("sends a new code for the last verification")
    public String verifyresend(@Descriptor("the client id") String clientId) throws InterruptedException {
        VerificationSession s = session(clientId);
        join(s.resend(), manager(clientId));
        return shell.text("resent: " + s.status() + ", expires " + s.expiresAt());
    }

    /** {@code m800:verifycancel <clientId>}: cancels the last verification. */
    @Descriptor("cancels the last verification")
    public String verifycancel(@Descriptor("the client id") String clientId) throws InterruptedException {
        VerificationSession s = session(clientId);
        join(s.cancel(), manager(clientId));
        return shell.text("cancelled " + s.id());
    }

    /** {@code m800:verifystatus <clientId>}: the server's status of the last verification. */
    @Descriptor("the server's status of the last verification")
    public String verifystatus(@Descriptor("the client id") String clientId) throws InterruptedException {
        VerificationSession s = session(clientId);
        return shell.text(s.id() + " " + s.phoneNumber() + " " + s.method() + ": " + join(s.refresh(), manager(clientId))
                + ", " + s.attemptsLeft() + " attempts left, expires " + s.expiresAt());
    }

    /**
     * {@code m800:verifysignup <clientId> <username> <password>}: signs up with the proof of the last
     * verification (for applications whose server requires a verified number).
     */
    @Descriptor("signs up with the proof of the last verification and logs in")
    public String verifysignup(@Descriptor("the client id") String clientId,
            @Descriptor("the new username") String username, @Descriptor("the password") String password)
            throws InterruptedException {
        Client client = shell.client(clientId);
        String proof = session(clientId).proof().orElseThrow(() -> new M800Exception(ErrorCode.ILLEGAL_STATE,
                "the last verification of " + clientId + " is not verified; run m800:verifycheck first"));
        var profile = join(client.require(org.m800.sdk.core.AccountManager.class).signUp(username, password, null, proof),
                manager(clientId));
        return shell.result("user " + profile.userId() + " signed up and logged in as " + profile.username()
                + " with a verified number", Map.of("user", profile.userId(), "username", profile.username()));
    }

    /**
     * {@code m800:verifyoutbox <clientId> [number]}: the newest codes of the development outbox of the
     * client's verification server (its loopback-only admin route), for the client's application.
     */
    @Descriptor("the newest codes of the development outbox of the client's verification server (the server's dev mode only)")
    public String verifyoutbox(@Descriptor("the client id") String clientId,
            @Descriptor("only the codes sent to this phone number") String... number) throws InterruptedException {
        HttpVerificationManager manager = manager(clientId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", 10);
        if (number.length > 0) {
            body.put("phoneNumber", manager.normalize(number[0], null, VerificationMethod.VOICE_CALL));
        }
        Map<String, Object> answer = join(manager.outbox(body), manager);
        Object deliveries = answer.get("deliveries");
        List<String> lines = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        if (deliveries instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> d) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    d.forEach((k, v) -> row.put(String.valueOf(k), v));
                    rows.add(row);
                    lines.add(d.get("phoneNumber") + " " + d.get("method") + " code " + d.get("code")
                            + (d.get("callerNumber") == null ? "" : " caller " + d.get("callerNumber"))
                            + " session " + d.get("sessionId") + " at " + java.time.Instant.ofEpochMilli(
                                    ((Number) d.get("at")).longValue()));
                }
            }
        }
        return shell.rows(lines.isEmpty() ? "the outbox is empty" : String.join("\n", lines), "deliveries", rows);
    }

    /** {@code m800:phoneattach <clientId> [proof]}: adds a verified number to the logged-in user's account. */
    @Descriptor("adds the number of a verification (the last one's, or a proof's) to the logged-in user's account; "
            + "prints 'phone <number>'")
    public String phoneattach(@Descriptor("the client id") String clientId,
            @Descriptor("a proof (default: the proof of the client's last m800:verifycheck)") String... proof)
            throws InterruptedException {
        String p = proof.length > 0 ? shell.id("proof", proof[0]) : session(clientId).proof().orElseThrow(
                () -> new M800Exception(ErrorCode.ILLEGAL_STATE, "the last verification of " + clientId
                        + " is not verified; run m800:verifycheck first"));
        HttpVerificationManager manager = manager(clientId);
        String phone = join(manager.attachPhoneNumber(p), manager);
        return shell.result("phone " + phone + " attached", Map.of("phone", phone));
    }

    /** {@code m800:phoneremove <clientId> <number>}: removes a verified number from the user's account. */
    @Descriptor("removes a verified number from the logged-in user's account")
    public String phoneremove(@Descriptor("the client id") String clientId,
            @Descriptor("the number, E.164 (+447400123456)") String number) throws InterruptedException {
        HttpVerificationManager manager = manager(clientId);
        String phone = shell.id("phone", number);
        join(manager.removePhoneNumber(phone), manager);
        return shell.result("phone " + phone + " removed", Map.of("removed", phone));
    }

    /** {@code m800:phones <clientId>}: the logged-in user's verified numbers. */
    @Descriptor("the verified numbers of the logged-in user's account")
    public String phones(@Descriptor("the client id") String clientId) throws InterruptedException {
        HttpVerificationManager manager = manager(clientId);
        List<String> numbers = join(manager.phoneNumbers(), manager);
        return shell.result(numbers.isEmpty() ? "no verified numbers" : String.join("\n", numbers),
                Map.of("phoneNumbers", numbers));
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
        return shell.feature(clientId, HttpVerificationManager.class);
    }

    private <T> T join(CompletableFuture<T> future, HttpVerificationManager manager) throws InterruptedException {
        return shell.join(future, manager.requestTimeout().multipliedBy(2));
    }
}
