package org.m800.server;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the server verifies phone numbers for one application (docs/protocol.md section 11): code
 * length and lifetime, attempts, resend cooldown, rate limits, the sign-up policy and the delivery
 * provider. Immutable; {@link #DEFAULTS} are the documented defaults. {@link #toString()} never shows
 * gateway credentials.
 *
 * @param codeLength digits of a code, 4 to 10 (default 6)
 * @param codeLifetime how long a code can be checked (default 10 minutes)
 * @param maxAttempts wrong codes allowed per session before it locks (default 5)
 * @param resendCooldown the least time between two sends of one session (default 30 s)
 * @param maxResends resends allowed per session (default 3)
 * @param rateWindow the window of the three rate limits below (default 1 hour, at most 7 days)
 * @param maxSendsPerNumber codes sent (starts and resends) to one number per window (default 5)
 * @param maxStartsPerApplication codes sent (starts and resends) by the application per window (default 1000)
 * @param maxStartsPerAddress codes sent (starts and resends) for requests from one source address per
 *        window (default 20)
 * @param proofLifetime how long the proof of a successful check can be used (default 30 minutes)
 * @param requiredForSignUp whether sign-up needs a proof (default false)
 * @param methods the methods offered (default all)
 * @param regions ISO 3166 region codes numbers may belong to; empty for all (default)
 * @param flashCallPrefix the E.164 prefix of flash-call caller numbers; the code follows it (default {@code +1800555})
 * @param gateway the SMS gateway to deliver through, or {@code null} for the development outbox (default)
 */
public record VerificationSettings(int codeLength, Duration codeLifetime, int maxAttempts, Duration resendCooldown,
        int maxResends, Duration rateWindow, int maxSendsPerNumber, int maxStartsPerApplication,
        int maxStartsPerAddress, Duration proofLifetime, boolean requiredForSignUp, Set<Method> methods,
        Set<String> regions, String flashCallPrefix, Gateway gateway) {

    /** How a code reaches the user. */
    public enum Method {
        /** a text message with the code */
        SMS,
        /** a call that reads the code aloud */
        VOICE_CALL,
        /** a call whose caller number ends with the code; nobody answers it */
        FLASH_CALL
    }

    /** The longest {@link #rateWindow()}: the server forgets sends older than this. */
    public static final Duration MAX_RATE_WINDOW = Duration.ofDays(7);

    private static final Pattern PREFIX = Pattern.compile("\\+[1-9][0-9]{0,7}");

    /** The defaults listed above. */
    public static final VerificationSettings DEFAULTS = new VerificationSettings(6, Duration.ofMinutes(10), 5,
            Duration.ofSeconds(30), 3, Duration.ofHours(1), 5, 1000, 20, Duration.ofMinutes(30), false,
            EnumSet.allOf(Method.class), Set.of(), "+1800555", null);

    /** @throws IllegalArgumentException naming the first bad value */
    public VerificationSettings {
        range("codeLength", codeLength, 4, 10);
        positive("codeLifetime", codeLifetime);
        range("maxAttempts", maxAttempts, 1, 100);
        Objects.requireNonNull(resendCooldown, "resendCooldown");
        if (resendCooldown.isNegative()) {
            throw new IllegalArgumentException("resendCooldown must not be negative");
        }
        range("maxResends", maxResends, 0, 100);
        positive("rateWindow", rateWindow);
        if (rateWindow.compareTo(MAX_RATE_WINDOW) > 0) {
            throw new IllegalArgumentException("rateWindow must be at most " + MAX_RATE_WINDOW);
        }
        range("maxSendsPerNumber", maxSendsPerNumber, 1, Integer.MAX_VALUE);
        range("maxStartsPerApplication", maxStartsPerApplication, 1, Integer.MAX_VALUE);
        range("maxStartsPerAddress", maxStartsPerAddress, 1, Integer.MAX_VALUE);
        positive("proofLifetime", proofLifetime);
        if (methods == null || methods.isEmpty()) {
            throw new IllegalArgumentException("methods must name at least one method");
        }
        methods = Set.copyOf(methods);
        regions = regions == null ? Set.of() : Set.copyOf(regions.stream().map(r -> r.toUpperCase(Locale.ROOT)).toList());
        for (String r : regions) {
            if (!r.matches("[A-Z]{2}")) {
                throw new IllegalArgumentException("regions must be two-letter region codes, not '" + r + "'");
            }
        }
        if (flashCallPrefix == null || !PREFIX.matcher(flashCallPrefix).matches()) {
            throw new IllegalArgumentException("flashCallPrefix must be + and 1 to 8 digits, not '" + flashCallPrefix + "'");
        }
        if (flashCallPrefix.length() - 1 + codeLength > 15) {
            throw new IllegalArgumentException("flashCallPrefix and codeLength make caller numbers longer than 15 digits");
        }
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }

    /** @return a builder starting from these settings */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return a builder starting from {@link #DEFAULTS} */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    @Override
    public String toString() {
        return "VerificationSettings[codeLength=" + codeLength + ", codeLifetime=" + codeLifetime + ", maxAttempts="
                + maxAttempts + ", resendCooldown=" + resendCooldown + ", maxResends=" + maxResends + ", rateWindow="
                + rateWindow + ", maxSendsPerNumber=" + maxSendsPerNumber + ", maxStartsPerApplication="
                + maxStartsPerApplication + ", maxStartsPerAddress=" + maxStartsPerAddress + ", proofLifetime="
                + proofLifetime + ", requiredForSignUp=" + requiredForSignUp + ", methods=" + methods + ", regions="
                + regions + ", flashCallPrefix=" + flashCallPrefix + ", gateway=" + gateway + "]";
    }

    /**
     * An SMS gateway reached over HTTP: the server sends one request per delivery. Placeholders in the
     * body template and in header values are replaced (escaped for JSON when the content type is JSON,
     * URL-encoded for {@code application/x-www-form-urlencoded}): {@code {{to}}} (E.164 number),
     * {@code {{code}}}, {@code {{method}}} ({@code SMS}, {@code VOICE_CALL}, {@code FLASH_CALL}),
     * {@code {{locale}}}, {@code {{message}}} (the text to read or send), {@code {{callerNumber}}}
     * (flash calls), {@code {{sessionId}}}. A 2xx answer means sent.
     *
     * @param url where to send (http or https)
     * @param method the HTTP method, {@code POST} or {@code PUT}
     * @param username user of HTTP basic authentication, or {@code null}
     * @param password password of HTTP basic authentication, or {@code null}; never shown
     * @param headers more headers, such as {@code Authorization: Bearer <key>}; values never shown
     * @param contentType the body's content type
     * @param bodyTemplate the body with placeholders
     * @param timeout how long to wait for the gateway
     */
    public record Gateway(URI url, String method, String username, String password, Map<String, String> headers,
            String contentType, String bodyTemplate, Duration timeout) {

        /** The template used when none is configured. */
        public static final String DEFAULT_TEMPLATE =
                "{\"to\":\"{{to}}\",\"text\":\"{{message}}\",\"channel\":\"{{method}}\",\"reference\":\"{{sessionId}}\"}";

        /** @throws IllegalArgumentException naming the first bad value */
        public Gateway {
            if (url == null || url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
                throw new IllegalArgumentException("gateway url must be an absolute http(s) URL, not " + url);
            }
            method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
            if (!method.equals("POST") && !method.equals("PUT")) {
                throw new IllegalArgumentException("gateway method must be POST or PUT, not " + method);
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            contentType = contentType == null || contentType.isBlank() ? "application/json" : contentType;
            bodyTemplate = bodyTemplate == null || bodyTemplate.isBlank() ? DEFAULT_TEMPLATE : bodyTemplate;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("gateway timeout must be positive");
            }
        }

        @Override
        public String toString() {
            return "Gateway[" + method + " " + url + ", contentType=" + contentType + ", user="
                    + (username == null ? "none" : username) + ", headers=" + headers.keySet() + "]";
        }
    }

    /** Builds {@link VerificationSettings}; not thread-safe. */
    public static final class Builder {
        private int codeLength;
        private Duration codeLifetime;
        private int maxAttempts;
        private Duration resendCooldown;
        private int maxResends;
        private Duration rateWindow;
        private int maxSendsPerNumber;
        private int maxStartsPerApplication;
        private int maxStartsPerAddress;
        private Duration proofLifetime;
        private boolean requiredForSignUp;
        private Set<Method> methods;
        private Set<String> regions;
        private String flashCallPrefix;
        private Gateway gateway;

        private Builder(VerificationSettings s) {
            codeLength = s.codeLength;
            codeLifetime = s.codeLifetime;
            maxAttempts = s.maxAttempts;
            resendCooldown = s.resendCooldown;
            maxResends = s.maxResends;
            rateWindow = s.rateWindow;
            maxSendsPerNumber = s.maxSendsPerNumber;
            maxStartsPerApplication = s.maxStartsPerApplication;
            maxStartsPerAddress = s.maxStartsPerAddress;
            proofLifetime = s.proofLifetime;
            requiredForSignUp = s.requiredForSignUp;
            methods = s.methods;
            regions = s.regions;
            flashCallPrefix = s.flashCallPrefix;
            gateway = s.gateway;
        }

        public Builder codeLength(int v) {
            codeLength = v;
            return this;
        }

        public Builder codeLifetime(Duration v) {
            codeLifetime = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        public Builder resendCooldown(Duration v) {
            resendCooldown = v;
            return this;
        }

        public Builder maxResends(int v) {
            maxResends = v;
            return this;
        }

        public Builder rateWindow(Duration v) {
            rateWindow = v;
            return this;
        }

        public Builder maxSendsPerNumber(int v) {
            maxSendsPerNumber = v;
            return this;
        }

        public Builder maxStartsPerApplication(int v) {
            maxStartsPerApplication = v;
            return this;
        }

        public Builder maxStartsPerAddress(int v) {
            maxStartsPerAddress = v;
            return this;
        }

        public Builder proofLifetime(Duration v) {
            proofLifetime = v;
            return this;
        }

        public Builder requiredForSignUp(boolean v) {
            requiredForSignUp = v;
            return this;
        }

        public Builder methods(Set<Method> v) {
            methods = v;
            return this;
        }

        public Builder regions(Set<String> v) {
            regions = v;
            return this;
        }

        public Builder flashCallPrefix(String v) {
            flashCallPrefix = v;
            return this;
        }

        public Builder gateway(Gateway v) {
            gateway = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public VerificationSettings build() {
            return new VerificationSettings(codeLength, codeLifetime, maxAttempts, resendCooldown, maxResends,
                    rateWindow, maxSendsPerNumber, maxStartsPerApplication, maxStartsPerAddress, proofLifetime,
                    requiredForSignUp, methods, regions, flashCallPrefix, gateway);
        }
    }
}
