package org.m800.sdk.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The defaults of {@code m800:create}: the framework properties {@code m800.defaults.<key>} that the
 * core's shell commands read, so that {@code m800:create demo} works with nothing else. They name the
 * reference server's development application and the server endpoints (the embedded server's, or the
 * outside ones of the command line). A system property of the same name ({@code -D} before
 * {@code -jar}) replaces a default.
 */
final class ClientDefaults {

    /** Prefix of the framework properties the core's {@code m800:create} takes defaults from. */
    static final String PREFIX = "m800.defaults.";

    /** The reference server's development application (its README), by {@code AppMeta} key. */
    static final Map<String, String> DEVELOPMENT_APPLICATION = Map.of(
            "carrier", "dev.m800",
            "applicationIdentifier", "org.m800.dev",
            "applicationKey", "dev-key",
            "applicationSecret", "dev-secret",
            "developerKey", "dev-developer");

    /** The keys of every default, in the order they are published. */
    static final List<String> KEYS = List.of("carrier", "applicationIdentifier", "applicationKey",
            "applicationSecret", "developerKey", "applicationVersion", RuntimeOptions.IM_SERVERS,
            RuntimeOptions.SIGN_UP_SERVERS, RuntimeOptions.VERIFICATION_SERVERS, RuntimeOptions.CALL_SERVERS);

    private ClientDefaults() {
    }

    /**
     * @param endpoints the server endpoints by client configuration key (empty when there is no server)
     * @param applicationVersion the development application's version
     * @param systemProperties looks up a system property (null when unset)
     * @return the framework properties {@code m800.defaults.<key>}; a system property of that name wins
     */
    static Map<String, String> frameworkProperties(Map<String, String> endpoints, String applicationVersion,
            UnaryOperator<String> systemProperties) {
        Map<String, String> values = new LinkedHashMap<>(DEVELOPMENT_APPLICATION);
        values.put("applicationVersion", applicationVersion);
        values.putAll(endpoints);
        Map<String, String> properties = new LinkedHashMap<>();
        for (String key : KEYS) {
            String override = systemProperties.apply(PREFIX + key);
            String value = override != null ? override : values.get(key);
            if (value != null) {
                properties.put(PREFIX + key, value);
            }
        }
        return properties;
    }

    /** @return the runtime's version from its jar's manifest, or {@code dev} when run from classes */
    static String runtimeVersion() {
        String version = ClientDefaults.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }
}
