package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * Reads the fields of a server object; a missing or mistyped required field is a
 * {@link ErrorCode#PROTOCOL} error naming the field and the object, never the string {@code "null"}.
 */
final class WireFields {
    private final Map<String, Object> data;
    private final String what;

    WireFields(Map<String, Object> data, String what) {
        if (data == null) {
            throw protocol(what + " is missing");
        }
        this.data = data;
        this.what = what;
    }

    static M800Exception protocol(String message) {
        return new M800Exception(ErrorCode.PROTOCOL, message);
    }

    /** @return a required, non-empty string */
    String text(String field) {
        Object o = data.get(field);
        if (!(o instanceof String s) || s.isEmpty()) {
            throw protocol(what + ": field '" + field + "' is " + (o == null ? "missing" : "not a non-empty string"));
        }
        return s;
    }

    /** @return an optional string, or the fallback */
    String text(String field, String fallback) {
        Object o = data.get(field);
        if (o == null) {
            return fallback;
        }
        if (!(o instanceof String s)) {
            throw protocol(what + ": field '" + field + "' is not a string");
        }
        return s;
    }

    /** @return a required whole number */
    long num(String field) {
        Object o = data.get(field);
        if (!(o instanceof Number n)) {
            throw protocol(what + ": field '" + field + "' is " + (o == null ? "missing" : "not a number"));
        }
        return n.longValue();
    }

    /** @return an optional whole number, or 0 */
    long numOr0(String field) {
        Object o = data.get(field);
        if (o == null) {
            return 0;
        }
        if (!(o instanceof Number n)) {
            throw protocol(what + ": field '" + field + "' is not a number");
        }
        return n.longValue();
    }

    boolean flag(String field) {
        Object o = data.get(field);
        if (o != null && !(o instanceof Boolean)) {
            throw protocol(what + ": field '" + field + "' is not a boolean");
        }
        return Boolean.TRUE.equals(o);
    }

    /** @return a required object */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(String field) {
        Object o = data.get(field);
        if (!(o instanceof Map<?, ?> m)) {
            throw protocol(what + ": field '" + field + "' is " + (o == null ? "missing" : "not an object"));
        }
        return (Map<String, Object>) m;
    }

    /** @return an optional object, or null */
    @SuppressWarnings("unchecked")
    Map<String, Object> objectOrNull(String field) {
        Object o = data.get(field);
        if (o == null) {
            return null;
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw protocol(what + ": field '" + field + "' is not an object");
        }
        return (Map<String, Object>) m;
    }

    /** @return an optional list (empty when absent) */
    List<Object> list(String field) {
        Object o = data.get(field);
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> l)) {
            throw protocol(what + ": field '" + field + "' is not a list");
        }
        return List.copyOf(l.stream().map(x -> (Object) x).toList());
    }

    /** @return an optional list of strings (empty when absent) */
    List<String> texts(String field) {
        List<String> out = new ArrayList<>();
        for (Object o : list(field)) {
            if (!(o instanceof String s)) {
                throw protocol(what + ": field '" + field + "' holds a " + (o == null ? "null" : "non-string"));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** @return an optional map of emoji to user ids, sorted; empty when absent */
    Map<String, List<String>> reactions(String field) {
        Map<String, Object> m = objectOrNull(field);
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new TreeMap<>();
        WireFields r = new WireFields(m, what + "." + field);
        m.keySet().forEach(emoji -> out.put(emoji, r.texts(emoji)));
        return Collections.unmodifiableMap(out);
    }
}
