package org.m800.sdk.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values out of the loosely typed maps that Configuration Admin and property files
 * supply, and checks them, with messages that name the offending key.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static String requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw M800Exception.invalidArgument(field + " is required and must not be blank");
        }
        return value.strip();
    }

    static String text(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String[] array) {
            return array.length == 0 ? null : array[0];
        }
        return value.toString();
    }

    /** A list of URIs given as a collection, an array, or one comma- or space-separated string. */
    static List<URI> uris(Map<String, ?> map, String key) {
        Object value = map.get(key);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return List.of();
        } else if (value instanceof String[] array) {
            for (String item : array) {
                splitInto(item, items);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object item : collection) {
                splitInto(String.valueOf(item), items);
            }
        } else if (value instanceof URI uri) {
            return List.of(uri);
        } else {
            splitInto(value.toString(), items);
        }
        List<URI> uris = new ArrayList<>(items.size());
        for (String item : items) {
            uris.add(parseUri(key, item));
        }
        return uris;
    }

    private static void splitInto(String value, List<String> out) {
        for (String part : value.split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
    }

    static URI parseUri(String field, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw M800Exception.invalidArgument(field + " has a malformed URI '" + text + "': " + e.getReason());
        }
    }

    /** Checks a server list: absolute URIs with a host and one of the allowed schemes. */
    static List<URI> checkServers(String field, List<URI> servers, Set<String> schemes, boolean required) {
        if (servers == null || servers.isEmpty()) {
            if (required) {
                throw M800Exception.invalidArgument(field + " needs at least one server URI (" + schemeList(schemes) + ")");
            }
            return List.of();
        }
        for (URI uri : servers) {
            if (uri == null) {
                throw M800Exception.invalidArgument(field + " contains a null URI");
            }
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || !schemes.contains(scheme)) {
                throw M800Exception.invalidArgument(field + " has '" + uri + "': the scheme must be " + schemeList(schemes));
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw M800Exception.invalidArgument(field + " has '" + uri + "': a host is required");
            }
            if (uri.getUserInfo() != null) {
                throw M800Exception.invalidArgument(field + " has a URI with user information; credentials do not belong in server lists");
            }
        }
        return List.copyOf(servers);
    }

    private static String schemeList(Set<String> schemes) {
        return String.join(" or ", schemes.stream().sorted().toList());
    }

    static Duration duration(Map<String, ?> map, String key, Duration defaultValue) {
        Object value = map.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Duration d) {
            return positive(key, d);
        }
        if (value instanceof Number n) {
            return positive(key, Duration.ofMillis(n.longValue()));
        }
        return positive(key, parseDuration(key, value.toString().strip()));
    }

    /** Accepts milliseconds ({@code 1500}), a unit suffix ({@code 500ms}, {@code 10s}, {@code 2m}) or ISO-8601 ({@code PT10S}). */
    static Duration parseDuration(String key, String text) {
        try {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("pt") || lower.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (lower.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2).strip()));
            }
            if (lower.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1).strip()));
            }
            if (lower.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1).strip()));
            }
            return Duration.ofMillis(Long.parseLong(lower));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw M800Exception.invalidArgument(key + " has '" + text
                    + "', which is not a duration (use milliseconds, 500ms, 10s, 2m or PT10S)");
        }
    }

    static Duration positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw M800Exception.invalidArgument(key + " must be a positive duration, was " + value);
        }
        return value;
    }

    static int integer(Map<String, ?> map, String key, int defaultValue) {
        Object value = map.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            throw M800Exception.invalidArgument(key + " has '" + value + "', which is not a whole number");
        }
    }
}
