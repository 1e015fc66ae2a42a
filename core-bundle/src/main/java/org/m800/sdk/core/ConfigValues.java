package org.m800.sdk.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads typed values out of the loosely typed maps that Configuration Admin and property files
 * supply, and checks them, with messages that name the offending key.
 */
final class ConfigValues {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ConfigValues() {
    }

    static String requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw M800Exception.invalidArgument(field + " is required and must not be blank");
        }
        return value.strip();
    }

    /** @return the client id, stripped, if it is 1 to 128 letters, digits, {@code . _ -} starting with a letter or digit */
    static String clientId(String field, String value) {
        String id = requireText(field, value);
        if (!CLIENT_ID.matcher(id).matches()) {
            throw M800Exception.invalidArgument(field + " '" + id
                    + "' must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    /** Checks that {@code file} is null or a readable file. */
    static void readableOrNull(String field, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw M800Exception.invalidArgument(field + " '" + file + "' is not a readable file");
        }
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

    /**
     * The {@link ClientConfig#OVERRIDES} entries of a map: an array or collection of
     * {@code module=provider} entries, or one string of them separated by commas outside parentheses
     * (a filter may hold commas).
     */
    static Map<String, String> overrides(Map<String, ?> map, String key) {
        Object value = map.get(key);
        List<String> entries = new ArrayList<>();
        if (value == null) {
            return Map.of();
        } else if (value instanceof Map<?, ?> given) {
            Map<String, String> result = new LinkedHashMap<>();
            given.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            return result;
        } else if (value instanceof String[] array) {
            for (String item : array) {
                splitEntries(key, item, entries);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object item : collection) {
                splitEntries(key, String.valueOf(item), entries);
            }
        } else {
            splitEntries(key, value.toString(), entries);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw M800Exception.invalidArgument(key + " has '" + entry
                        + "', which is not <module>=<feature name or (filter)>");
            }
            String module = entry.substring(0, eq).strip();
            if (result.put(module, entry.substring(eq + 1).strip()) != null) {
                throw M800Exception.invalidArgument(key + " names module " + module + " twice");
            }
        }
        return result;
    }

    private static void splitEntries(String key, String text, List<String> out) {
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                addEntry(text.substring(start, i), out);
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw M800Exception.invalidArgument(key + " has '" + text.strip() + "', whose parentheses do not match");
        }
        addEntry(text.substring(start), out);
    }

    private static void addEntry(String entry, List<String> out) {
        if (!entry.isBlank()) {
            out.add(entry.strip());
        }
    }

    /**
     * Checks per-client overrides: valid module names, and each provider a valid feature name or an
     * LDAP filter that parses.
     */
    static Map<String, String> checkOverrides(String key, Map<String, String> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String module = e.getKey();
            if (module == null || !ModuleDefinition.NAME.matcher(module.strip()).matches()) {
                throw M800Exception.invalidArgument(key + " names module '" + module
                        + "', which is not a module name (lower-case words of letters, digits and '-', joined by dots)");
            }
            String provider = e.getValue() == null ? "" : e.getValue().strip();
            if (provider.startsWith("(")) {
                checkFilter(key, module, provider);
            } else if (!ModuleDefinition.NAME.matcher(provider).matches()) {
                throw M800Exception.invalidArgument(key + " gives module " + module + " the provider '" + provider
                        + "', which is neither a feature name nor an LDAP filter in parentheses");
            }
            result.put(module.strip(), provider);
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    private static void checkFilter(String key, String module, String filter) {
        try {
            org.osgi.framework.FrameworkUtil.createFilter(filter);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw M800Exception.invalidArgument(key + " gives module " + module + " the filter '" + filter
                    + "', which does not parse: " + e.getMessage());
        } catch (LinkageError noOsgiOnTheClassPath) {
            // outside OSGi without osgi.core: the client refuses filters when it is created
        }
    }
}
