package org.m800.sdk.core;

import static org.m800.sdk.core.ClientConfig.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a {@link ClientConfig} out of a loosely typed map (a Configuration Admin configuration, a
 * Karaf {@code .cfg} file, shell arguments): {@link ClientConfig#fromMap(Map)}'s work, kept apart so
 * the record holds only the settings and their contracts.
 */
final class ClientConfigMaps {

    private ClientConfigMaps() {
    }

    /** @see ClientConfig#fromMap(Map) */
    static ClientConfig read(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        ClientConfig.Builder b = ClientConfig.builder();
        String id = ConfigValues.text(map, CLIENT_ID);
        if (id != null) {
            b.clientId(id);
        }
        b.imServers(ConfigValues.uris(map, IM_SERVERS));
        b.signUpServers(ConfigValues.uris(map, SIGN_UP_SERVERS));
        b.verificationServers(ConfigValues.uris(map, VERIFICATION_SERVERS));
        b.callServers(ConfigValues.uris(map, CALL_SERVERS));
        b.fileServers(ConfigValues.uris(map, FILE_SERVERS));
        b.dataDirectory(path(map, DATA_DIRECTORY));
        b.requestTimeout(duration(map, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT_MS));
        b.connectTimeout(duration(map, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT_MS));
        b.heartbeatInterval(duration(map, HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL_MS));
        b.heartbeatTimeout(duration(map, HEARTBEAT_TIMEOUT, DEFAULT_HEARTBEAT_TIMEOUT_MS));
        b.reconnectMinDelay(duration(map, RECONNECT_MIN_DELAY, DEFAULT_RECONNECT_MIN_DELAY_MS));
        b.reconnectMaxDelay(duration(map, RECONNECT_MAX_DELAY, DEFAULT_RECONNECT_MAX_DELAY_MS));
        b.offlineQueueLimit(ConfigValues.integer(map, OFFLINE_QUEUE_LIMIT, DEFAULT_OFFLINE_QUEUE_LIMIT));
        b.featureTimeout(duration(map, FEATURE_TIMEOUT, DEFAULT_FEATURE_TIMEOUT_MS));
        b.trustStore(path(map, TRUST_STORE));
        b.trustStorePassword(ConfigValues.text(map, TRUST_STORE_PASSWORD));
        b.overrides(ConfigValues.overrides(map, OVERRIDES));
        b.sessionKeyStore(path(map, SESSION_KEY_STORE));
        b.sessionKeyStorePassword(ConfigValues.text(map, SESSION_KEY_STORE_PASSWORD));
        b.sessionKeyAlias(ConfigValues.text(map, SESSION_KEY_ALIAS));
        return b.build();
    }

    /** @return the path under {@code key}, or null when it is missing or blank */
    private static Path path(Map<String, ?> map, String key) {
        String text = ConfigValues.text(map, key);
        return text == null || text.isBlank() ? null : Path.of(text.strip());
    }

    private static Duration duration(Map<String, ?> map, String key, long defaultMillis) {
        return ConfigValues.duration(map, key, Duration.ofMillis(defaultMillis));
    }
}
