package org.m800.server.internal.verification;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.m800.server.VerificationSettings;

/**
 * Reads the optional {@code "verification"} object of an application in a registration file. Every
 * member is optional and defaults to {@link VerificationSettings#DEFAULTS}; durations are
 * milliseconds (members ending in {@code Ms}):
 *
 * <pre>{@code
 * "verification": {
 *   "codeLength": 6, "codeLifetimeMs": 600000, "maxAttempts": 5, "resendCooldownMs": 30000, "maxResends": 3,
 *   "rateWindowMs": 3600000, "maxSendsPerNumber": 5, "maxStartsPerApplication": 1000, "maxStartsPerAddress": 20,
 *   "proofLifetimeMs": 1800000, "requiredForSignUp": false, "methods": ["SMS", "VOICE_CALL", "FLASH_CALL"],
 *   "regions": [], "flashCallPrefix": "+1800555",
 *   "gateway": {"url": "https://sms.example/send", "method": "POST", "username": "u", "password": "p",
 *               "headers": {"Authorization": "Bearer ..."}, "contentType": "application/json",
 *               "bodyTemplate": "{\"to\":\"{{to}}\",\"text\":\"{{message}}\"}", "timeoutMs": 5000}
 * }
 * }</pre>
 */
public final class VerificationSettingsJson {
    private VerificationSettingsJson() {
    }

    /**
     * @param node the {@code verification} member, or null
     * @return the settings, {@link VerificationSettings#DEFAULTS} for null
     * @throws IllegalArgumentException naming the bad member
     */
    public static VerificationSettings read(JsonNode node) {
        if (node == null || node.isNull()) {
            return VerificationSettings.DEFAULTS;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("verification must be an object");
        }
        VerificationSettings.Builder b = VerificationSettings.builder();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode v = node.get(name);
            switch (name) {
                case "codeLength" -> b.codeLength(integer(name, v));
                case "codeLifetimeMs" -> b.codeLifetime(millis(name, v));
                case "maxAttempts" -> b.maxAttempts(integer(name, v));
                case "resendCooldownMs" -> b.resendCooldown(millis(name, v));
                case "maxResends" -> b.maxResends(integer(name, v));
                case "rateWindowMs" -> b.rateWindow(millis(name, v));
                case "maxSendsPerNumber" -> b.maxSendsPerNumber(integer(name, v));
                case "maxStartsPerApplication" -> b.maxStartsPerApplication(integer(name, v));
                case "maxStartsPerAddress" -> b.maxStartsPerAddress(integer(name, v));
                case "proofLifetimeMs" -> b.proofLifetime(millis(name, v));
                case "requiredForSignUp" -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException("verification.requiredForSignUp must be true or false");
                    }
                    b.requiredForSignUp(v.booleanValue());
                }
                case "methods" -> {
                    Set<VerificationSettings.Method> methods = EnumSet.noneOf(VerificationSettings.Method.class);
                    for (String m : strings(name, v)) {
                        try {
                            methods.add(VerificationSettings.Method.valueOf(m.toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("verification.methods: unknown method " + m);
                        }
                    }
                    b.methods(methods);
                }
                case "regions" -> b.regions(strings(name, v));
                case "flashCallPrefix" -> b.flashCallPrefix(text(name, v));
                case "gateway" -> b.gateway(gateway(v));
                default -> throw new IllegalArgumentException("verification." + name + " is not a known setting");
            }
        }
        return b.build();
    }

    private static VerificationSettings.Gateway gateway(JsonNode g) {
        if (g == null || g.isNull()) {
            return null;
        }
        if (!g.isObject()) {
            throw new IllegalArgumentException("verification.gateway must be an object");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = g.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                throw new IllegalArgumentException("verification.gateway.headers must be an object of strings");
            }
            h.properties().forEach(e -> headers.put(e.getKey(), text("gateway.headers." + e.getKey(), e.getValue())));
        }
        String url = optionalText("gateway.url", g.get("url"));
        if (url == null) {
            throw new IllegalArgumentException("verification.gateway.url is required");
        }
        JsonNode timeout = g.get("timeoutMs");
        return new VerificationSettings.Gateway(URI.create(url), optionalText("gateway.method", g.get("method")),
                optionalText("gateway.username", g.get("username")), optionalText("gateway.password", g.get("password")),
                headers, optionalText("gateway.contentType", g.get("contentType")),
                optionalText("gateway.bodyTemplate", g.get("bodyTemplate")),
                timeout == null ? null : millis("gateway.timeoutMs", timeout));
    }

    private static int integer(String name, JsonNode v) {
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("verification." + name + " must be an integer");
        }
        return v.intValue();
    }

    private static Duration millis(String name, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("verification." + name + " must be an integer of milliseconds");
        }
        return Duration.ofMillis(v.longValue());
    }

    private static String text(String name, JsonNode v) {
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("verification." + name + " must be a string");
        }
        return v.textValue();
    }

    private static String optionalText(String name, JsonNode v) {
        return v == null || v.isNull() ? null : text(name, v);
    }

    private static Set<String> strings(String name, JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("verification." + name + " must be an array of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        v.forEach(x -> out.add(text(name + "[]", x)));
        return out;
    }
}
