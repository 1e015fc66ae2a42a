package org.m800.sdk.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the fields of an object the server sent (the {@code data} of a {@link ServerEvent} or of an
 * answer to {@link ConnectService#request}), for a feature bundle's typed wire records: a missing or
 * mistyped required field fails with {@link ErrorCode#PROTOCOL} naming the field and the object, never
 * becomes the string {@code "null"} or a zero. Optional fields have a fallback. Immutable; thread-safe
 * if the map is not changed.
 *
 * @since 1.2
 */
public final class WireFields {
    private final Map<String, Object> data;
    private final String what;

    /**
     * @param data the object; {@code null} fails with PROTOCOL ("... is missing")
     * @param what names the object in error messages, such as {@code "chat.receipt"}
     * @throws M800Exception PROTOCOL if {@code data} is null
     */
    public WireFields(Map<String, Object> data, String what) {
        if (data == null) {
            throw protocol(what + " is missing");
        }
        this.data = data;
        this.what = what;
    }

    /** @return a {@link ErrorCode#PROTOCOL} error with the message */
    public static M800Exception protocol(String message) {
        return new M800Exception(ErrorCode.PROTOCOL, message);
    }

    /** @return a required, non-empty string */
    public String text(String field) {
        Object o = data.get(field);
        if (!(o instanceof String s) || s.isEmpty()) {
            throw protocol(what + ": field '" + field + "' is " + (o == null ? "missing" : "not a non-empty string"));
        }
        return s;
    }

    /** @return an optional string, or the fallback */
    public String text(String field, String fallback) {
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
    public long num(String field) {
        Object o = data.get(field);
        if (!(o instanceof Number n)) {
            throw protocol(what + ": field '" + field + "' is " + (o == null ? "missing" : "not a number"));
        }
        return n.longValue();
    }

    /** @return an optional whole number, or 0 */
    public long numOr0(String field) {
        Object o = data.get(field);
        if (o == null) {
            return 0;
        }
        if (!(o instanceof Number n)) {
            throw protocol(what + ": field '" + field + "' is not a number");
        }
        return n.longValue();
    }

    /** @return an optional boolean; false when absent */
    public boolean flag(String field) {
        Object o = data.get(field);
        if (o != null && !(o instanceof Boolean)) {
            throw protocol(what + ": field '" + field + "' is not a boolean");
        }
        return Boolean.TRUE.equals(o);
    }

    /** @return a required object */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String field) {
        Object o = data.get(field);
        if (!(o instanceof Map<?, ?> m)) {
            throw protocol(what + ": field '" + field + "' is " + (o == null ? "missing" : "not an object"));
        }
        return (Map<String, Object>) m;
    }

    /** @return an optional object, or null */
    @SuppressWarnings("unchecked")
    public Map<String, Object> objectOrNull(String field) {
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
    public List<Object> list(String field) {
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
    public List<String> texts(String field) {
        List<String> out = new ArrayList<>();
        for (Object o : list(field)) {
            if (!(o instanceof String s)) {
                throw protocol(what + ": field '" + field + "' holds a " + (o == null ? "null" : "non-string"));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** @return an optional object of string lists (such as emoji to user ids), sorted by key; empty when absent */
    public Map<String, List<String>> textLists(String field) {
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
