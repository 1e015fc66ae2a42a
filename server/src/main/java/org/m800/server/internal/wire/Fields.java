package org.m800.server.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/** Reads and checks fields of request payloads; every failure names the field. */
public final class Fields {
    private Fields() {
    }

    /** @return the string field, or {@code null} if absent or JSON null */
    public static String optionalText(ObjectNode data, String field, int minChars, int maxChars, Pattern pattern)
            throws WireException {
        JsonNode n = data.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be a string");
        }
        String s = n.textValue();
        if (hasLoneSurrogate(s)) {
            throw loneSurrogate(field);
        }
        int chars = s.codePointCount(0, s.length());
        if (chars > maxChars) {
            throw WireException.invalid(field, "TOO_LONG", field + " must be at most " + maxChars + " characters");
        }
        if (chars < minChars) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be at least " + minChars + " characters");
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw WireException.invalid(field, "BAD_FIELD", field + " has a bad format");
        }
        return s;
    }

    /** @return the string field; absent is an error */
    public static String requiredText(ObjectNode data, String field, int minChars, int maxChars, Pattern pattern)
            throws WireException {
        String s = optionalText(data, field, minChars, maxChars, pattern);
        if (s == null) {
            throw WireException.invalid(field, "MISSING_FIELD", field + " is required");
        }
        return s;
    }

    /** @return the non-negative integer field, or {@code null} if absent */
    public static Long optionalNonNegativeLong(ObjectNode data, String field) throws WireException {
        JsonNode n = data.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() < 0) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be a non-negative integer");
        }
        return n.asLong();
    }

    /** @return the object field; absent is an error */
    public static ObjectNode requiredObject(ObjectNode data, String field) throws WireException {
        JsonNode n = data.get(field);
        if (n == null || n.isNull()) {
            throw WireException.invalid(field, "MISSING_FIELD", field + " is required");
        }
        if (!n.isObject()) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be an object");
        }
        if (holdsLoneSurrogate(n)) {
            throw loneSurrogate(field);
        }
        return (ObjectNode) n;
    }

    /**
     * @return whether the text has a UTF-16 surrogate without its pair: JSON allows the escape
     *         {@code "\ud800"}, but it is no Unicode text (UTF-8 cannot carry it; it became '?')
     */
    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsLoneSurrogate(JsonNode n) {
        if (n.isTextual()) {
            return hasLoneSurrogate(n.textValue());
        }
        if (n.isObject()) {
            var names = n.fieldNames();
            while (names.hasNext()) {
                if (hasLoneSurrogate(names.next())) {
                    return true;
                }
            }
        }
        for (JsonNode child : n) {
            if (holdsLoneSurrogate(child)) {
                return true;
            }
        }
        return false;
    }

    private static WireException loneSurrogate(String field) {
        return WireException.invalid(field, "BAD_FIELD", field
                + " holds a lone UTF-16 surrogate (an escape such as \\ud800 without its pair): not Unicode text");
    }
}
