package org.m800.sdk.core;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a client connects and how it behaves. Immutable and thread-safe. Build it with
 * {@link #builder()} or read it from a map with {@link #fromMap(Map)}; the keys are the constants of
 * this class, and every setting but {@link #imServers()} has a documented default.
 *
 * @param clientId names the client in diagnostics, services and logs; letters, digits, {@code . _ -}
 * @param imServers WebSocket URIs ({@code ws://}, {@code wss://}) of the IM servers, tried in order; at least one
 * @param signUpServers HTTP URIs ({@code http://}, {@code https://}) of the sign-up servers, tried in order
 * @param verificationServers HTTP URIs of the phone-number verification servers, tried in order
 * @param callServers WebSocket URIs of the call-signalling servers, tried in order
 * @param dataDirectory where the client keeps its durable state, or {@code null} for the default
 *        {@code <user.home>/.m800/<applicationIdentifier>/<clientId>} (see {@link #dataDirectoryFor(AppMeta)})
 * @param requestTimeout how long a request waits for its answer (default {@value #DEFAULT_REQUEST_TIMEOUT_MS} ms)
 * @param connectTimeout how long one connection attempt may take (default {@value #DEFAULT_CONNECT_TIMEOUT_MS} ms)
 * @param heartbeatInterval how often an idle connection is probed (default {@value #DEFAULT_HEARTBEAT_INTERVAL_MS} ms)
 * @param heartbeatTimeout how long without any frame before a connection counts as dead
 *        (default {@value #DEFAULT_HEARTBEAT_TIMEOUT_MS} ms)
 * @param reconnectMinDelay the first reconnect back-off (default {@value #DEFAULT_RECONNECT_MIN_DELAY_MS} ms)
 * @param reconnectMaxDelay the largest reconnect back-off (default {@value #DEFAULT_RECONNECT_MAX_DELAY_MS} ms)
 * @param offlineQueueLimit how many requests may wait while offline (default {@value #DEFAULT_OFFLINE_QUEUE_LIMIT})
 * @param featureTimeout how long {@link Client#addFeature(String)} waits for the feature to become
 *        ready (default {@value #DEFAULT_FEATURE_TIMEOUT_MS} ms)
 * @param trustStore a PKCS12 (or {@code .jks}) file of certificates to trust for {@code wss://} and
 *        {@code https://} servers, or {@code null} for the JVM's default trust
 * @param trustStorePassword the trust store's password, or {@code null}; never shown by {@link #toString()}
 * @param overrides which provider this client takes chosen modules from, by module name (empty by
 *        default); see {@link #OVERRIDES} for the format and {@link #overrides()} for what it does
 * @param fileServers HTTP URIs of the file servers (uploads and downloads of the file feature), tried in
 *        order; empty means the same servers as {@link #signUpServers()} (see {@link #fileServers()})
 * @param sessionKeyStore a PKCS12 (or {@code .jks}) key store holding the AES key that encrypts the stored
 *        login session (AES-GCM), or {@code null} (the default) to store it unencrypted in an owner-only file;
 *        see {@link #sessionKeyStore()} for what each protects against
 * @param sessionKeyStorePassword the password of the session key store and of its key, or {@code null};
 *        never shown by {@link #toString()}
 * @param sessionKeyAlias the alias of the AES key in the session key store, or {@code null} for
 *        {@value #DEFAULT_SESSION_KEY_ALIAS}
 * @since 1.2 ({@code overrides}, {@code fileServers}, {@code sessionKeyStore}, {@code sessionKeyStorePassword},
 *        {@code sessionKeyAlias})
 */
public record ClientConfig(String clientId, List<URI> imServers, List<URI> signUpServers,
        List<URI> verificationServers, List<URI> callServers, Path dataDirectory, Duration requestTimeout,
        Duration connectTimeout, Duration heartbeatInterval, Duration heartbeatTimeout, Duration reconnectMinDelay,
        Duration reconnectMaxDelay, int offlineQueueLimit, Duration featureTimeout, Path trustStore,
        String trustStorePassword, Map<String, String> overrides, List<URI> fileServers, Path sessionKeyStore,
        String sessionKeyStorePassword, String sessionKeyAlias) {

    /** Key of {@link #clientId()}. */
    public static final String CLIENT_ID = "clientId";
    /** Key of {@link #imServers()}. */
    public static final String IM_SERVERS = "imServers";
    /** Key of {@link #signUpServers()}. */
    public static final String SIGN_UP_SERVERS = "signUpServers";
    /** Key of {@link #verificationServers()}. */
    public static final String VERIFICATION_SERVERS = "verificationServers";
    /** Key of {@link #callServers()}. */
    public static final String CALL_SERVERS = "callServers";
    /** Key of {@link #dataDirectory()}. */
    public static final String DATA_DIRECTORY = "dataDirectory";
    /** Key of {@link #requestTimeout()}. */
    public static final String REQUEST_TIMEOUT = "requestTimeout";
    /** Key of {@link #connectTimeout()}. */
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    /** Key of {@link #heartbeatInterval()}. */
    public static final String HEARTBEAT_INTERVAL = "heartbeatInterval";
    /** Key of {@link #heartbeatTimeout()}. */
    public static final String HEARTBEAT_TIMEOUT = "heartbeatTimeout";
    /** Key of {@link #reconnectMinDelay()}. */
    public static final String RECONNECT_MIN_DELAY = "reconnectMinDelay";
    /** Key of {@link #reconnectMaxDelay()}. */
    public static final String RECONNECT_MAX_DELAY = "reconnectMaxDelay";
    /** Key of {@link #offlineQueueLimit()}. */
    public static final String OFFLINE_QUEUE_LIMIT = "offlineQueueLimit";
    /** Key of {@link #featureTimeout()}. */
    public static final String FEATURE_TIMEOUT = "featureTimeout";
    /** Key of {@link #trustStore()}. */
    public static final String TRUST_STORE = "trustStore";
    /** Key of {@link #trustStorePassword()}. */
    public static final String TRUST_STORE_PASSWORD = "trustStorePassword";
    /**
     * Key of {@link #overrides()}. In a map (a Configuration Admin configuration, a Karaf
     * {@code etc/org.m800.sdk.client-<name>.cfg} file, {@code m800:create}) its value is a list of
     * {@code <module>=<provider>} entries, given as an array or collection of entries or as one string
     * with the entries separated by commas outside parentheses, for example
     * {@code service.connect=carrier-connect, media=(vendor=acme)}. A provider is the
     * {@value FeatureBundle#PROPERTY_FEATURE} name of a feature bundle, or an LDAP filter (in
     * parentheses) over the feature-bundle services' properties.
     *
     * @since 1.2
     */
    public static final String OVERRIDES = "overrides";

    /** Key of {@link #fileServers()}. @since 1.2 */
    public static final String FILE_SERVERS = "fileServers";
    /** Key of {@link #sessionKeyStore()}. @since 1.2 */
    public static final String SESSION_KEY_STORE = "sessionKeyStore";
    /** Key of {@link #sessionKeyStorePassword()}. @since 1.2 */
    public static final String SESSION_KEY_STORE_PASSWORD = "sessionKeyStorePassword";
    /** Key of {@link #sessionKeyAlias()}. @since 1.2 */
    public static final String SESSION_KEY_ALIAS = "sessionKeyAlias";
    /** Default of {@link #sessionKeyAlias()}. @since 1.2 */
    public static final String DEFAULT_SESSION_KEY_ALIAS = "m800-session";

    /** Default of {@link #requestTimeout()} in milliseconds. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    /** Default of {@link #connectTimeout()} in milliseconds. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    /** Default of {@link #heartbeatInterval()} in milliseconds. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
    /** Default of {@link #heartbeatTimeout()} in milliseconds. */
    public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 25_000;
    /** Default of {@link #reconnectMinDelay()} in milliseconds. */
    public static final long DEFAULT_RECONNECT_MIN_DELAY_MS = 250;
    /** Default of {@link #reconnectMaxDelay()} in milliseconds. */
    public static final long DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
    /** Default of {@link #offlineQueueLimit()}. */
    public static final int DEFAULT_OFFLINE_QUEUE_LIMIT = 1_000;
    /** Default of {@link #featureTimeout()} in milliseconds. */
    public static final long DEFAULT_FEATURE_TIMEOUT_MS = 30_000;

    private static final Set<String> WEB_SOCKET = Set.of("ws", "wss");
    private static final Set<String> HTTP = Set.of("http", "https");

    /**
     * Checks every setting.
     *
     * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} naming the first bad setting
     */
    public ClientConfig {
        clientId = ConfigValues.clientId(CLIENT_ID, clientId);
        imServers = ConfigValues.checkServers(IM_SERVERS, imServers, WEB_SOCKET, true);
        signUpServers = ConfigValues.checkServers(SIGN_UP_SERVERS, signUpServers, HTTP, false);
        verificationServers = ConfigValues.checkServers(VERIFICATION_SERVERS, verificationServers, HTTP, false);
        callServers = ConfigValues.checkServers(CALL_SERVERS, callServers, WEB_SOCKET, false);
        fileServers = ConfigValues.checkServers(FILE_SERVERS, fileServers, HTTP, false);
        requestTimeout = ConfigValues.positive(REQUEST_TIMEOUT, requestTimeout);
        connectTimeout = ConfigValues.positive(CONNECT_TIMEOUT, connectTimeout);
        heartbeatInterval = ConfigValues.positive(HEARTBEAT_INTERVAL, heartbeatInterval);
        heartbeatTimeout = ConfigValues.positive(HEARTBEAT_TIMEOUT, heartbeatTimeout);
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw M800Exception.invalidArgument(HEARTBEAT_TIMEOUT + " (" + heartbeatTimeout
                    + ") must be longer than " + HEARTBEAT_INTERVAL + " (" + heartbeatInterval + ")");
        }
        reconnectMinDelay = ConfigValues.positive(RECONNECT_MIN_DELAY, reconnectMinDelay);
        reconnectMaxDelay = ConfigValues.positive(RECONNECT_MAX_DELAY, reconnectMaxDelay);
        if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
            throw M800Exception.invalidArgument(RECONNECT_MAX_DELAY + " (" + reconnectMaxDelay
                    + ") must not be shorter than " + RECONNECT_MIN_DELAY + " (" + reconnectMinDelay + ")");
        }
        if (offlineQueueLimit < 0) {
            throw M800Exception.invalidArgument(OFFLINE_QUEUE_LIMIT + " must not be negative, was " + offlineQueueLimit);
        }
        featureTimeout = ConfigValues.positive(FEATURE_TIMEOUT, featureTimeout);
        ConfigValues.readableOrNull(TRUST_STORE, trustStore);
        overrides = ConfigValues.checkOverrides(OVERRIDES, overrides);
        ConfigValues.readableOrNull(SESSION_KEY_STORE, sessionKeyStore);
        sessionKeyAlias = sessionKeyAlias == null || sessionKeyAlias.isBlank() ? DEFAULT_SESSION_KEY_ALIAS
                : sessionKeyAlias.strip();
    }

    /**
     * The configuration of a 1.2 client written before the session key store existed.
     *
     * @deprecated use {@link #builder()}, or the canonical constructor
     */
    @Deprecated(since = "1.2")
    public ClientConfig(String clientId, List<URI> imServers, List<URI> signUpServers,
            List<URI> verificationServers, List<URI> callServers, Path dataDirectory, Duration requestTimeout,
            Duration connectTimeout, Duration heartbeatInterval, Duration heartbeatTimeout, Duration reconnectMinDelay,
            Duration reconnectMaxDelay, int offlineQueueLimit, Duration featureTimeout, Path trustStore,
            String trustStorePassword, Map<String, String> overrides, List<URI> fileServers) {
        this(clientId, imServers, signUpServers, verificationServers, callServers, dataDirectory, requestTimeout,
                connectTimeout, heartbeatInterval, heartbeatTimeout, reconnectMinDelay, reconnectMaxDelay,
                offlineQueueLimit, featureTimeout, trustStore, trustStorePassword, overrides, fileServers, null, null,
                null);
    }

    /**
     * Where the key that encrypts the stored login session is, or {@code null} when the session is
     * stored unencrypted (the default). What each choice protects against, what happens to a session
     * the key cannot decrypt and how to make a key: the package documentation, "The stored login
     * session".
     *
     * @return the key store file, or {@code null}
     * @since 1.2
     */
    @Override
    public Path sessionKeyStore() {
        return sessionKeyStore;
    }

    /**
     * The configuration of a 1.1 client, without {@link #overrides()} and {@link #fileServers()}.
     *
     * @deprecated use {@link #builder()}, or the constructor that takes the overrides
     */
    @Deprecated(since = "1.2")
    public ClientConfig(String clientId, List<URI> imServers, List<URI> signUpServers,
            List<URI> verificationServers, List<URI> callServers, Path dataDirectory, Duration requestTimeout,
            Duration connectTimeout, Duration heartbeatInterval, Duration heartbeatTimeout, Duration reconnectMinDelay,
            Duration reconnectMaxDelay, int offlineQueueLimit, Duration featureTimeout, Path trustStore,
            String trustStorePassword) {
        this(clientId, imServers, signUpServers, verificationServers, callServers, dataDirectory, requestTimeout,
                connectTimeout, heartbeatInterval, heartbeatTimeout, reconnectMinDelay, reconnectMaxDelay,
                offlineQueueLimit, featureTimeout, trustStore, trustStorePassword, Map.of(), List.of());
    }

    /**
     * Per-client overrides chosen in the configuration: for each module named here, this client takes
     * the module from the feature bundle the value selects (its {@value FeatureBundle#PROPERTY_FEATURE}
     * name, or an LDAP filter in parentheses matched against the feature-bundle service's properties,
     * such as {@code (vendor=acme)}), whatever the {@code service.ranking} of the other bundles that
     * define it. Among several bundles that match, the highest ranked wins. Overrides given in code
     * ({@link ClientFactory#create(AppMeta, ClientConfig, List)}, {@link Client#addFeature(FeatureBundle, List)})
     * still rank above it. Other clients of the same framework are not affected.
     *
     * <p>While no selected bundle is present the module is not built and never falls back to another
     * provider: what depends on it waits, {@link Client#diagnostics()} names the selection it waits for,
     * and the client is not {@link Client#isReady() ready} if the module belongs to {@code core}. When a
     * selected bundle arrives the module is built and {@link ClientEvent#FEATURE_READY} fires; when it
     * leaves the module is torn down and {@link ClientEvent#FEATURE_UNAVAILABLE} fires.
     *
     * @return module name to provider selector, in the order given; empty by default; unmodifiable
     * @since 1.2
     */
    @Override
    public Map<String, String> overrides() {
        return overrides;
    }

    /**
     * The servers the file feature uploads to and downloads from: the configured {@code fileServers},
     * or {@link #signUpServers()} when none are configured (the reference server serves both on one port).
     *
     * @return HTTP URIs, tried in order; empty only if neither list is configured
     * @since 1.2
     */
    @Override
    public List<URI> fileServers() {
        return fileServers.isEmpty() ? signUpServers : fileServers;
    }

    /** @return a builder with the defaults set and no server */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.clientId = clientId;
        b.imServers = imServers;
        b.signUpServers = signUpServers;
        b.verificationServers = verificationServers;
        b.callServers = callServers;
        b.dataDirectory = dataDirectory;
        b.requestTimeout = requestTimeout;
        b.connectTimeout = connectTimeout;
        b.heartbeatInterval = heartbeatInterval;
        b.heartbeatTimeout = heartbeatTimeout;
        b.reconnectMinDelay = reconnectMinDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        b.offlineQueueLimit = offlineQueueLimit;
        b.featureTimeout = featureTimeout;
        b.trustStore = trustStore;
        b.trustStorePassword = trustStorePassword;
        b.overrides = overrides;
        b.fileServers = fileServers;
        b.sessionKeyStore = sessionKeyStore;
        b.sessionKeyStorePassword = sessionKeyStorePassword;
        b.sessionKeyAlias = sessionKeyAlias;
        return b;
    }

    /**
     * Reads a configuration from a map keyed by the constants of this class. Server lists may be a
     * collection, an array, or one string of URIs separated by commas or spaces; durations may be
     * milliseconds (a number), {@code 500ms}, {@code 10s}, {@code 2m} or ISO-8601 ({@code PT10S}).
     * Unknown keys are ignored, so one map can also hold the {@link AppMeta} keys.
     *
     * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} naming the bad key
     */
    public static ClientConfig fromMap(Map<String, ?> map) {
        return ClientConfigMaps.read(map);
    }

    @Override
    public String toString() {
        return "ClientConfig[clientId=" + clientId + ", imServers=" + imServers + ", signUpServers=" + signUpServers
                + ", verificationServers=" + verificationServers + ", callServers=" + callServers + ", dataDirectory="
                + dataDirectory + ", requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout
                + ", heartbeatInterval=" + heartbeatInterval + ", heartbeatTimeout=" + heartbeatTimeout
                + ", reconnectMinDelay=" + reconnectMinDelay + ", reconnectMaxDelay=" + reconnectMaxDelay
                + ", offlineQueueLimit=" + offlineQueueLimit + ", featureTimeout=" + featureTimeout + ", trustStore="
                + trustStore + ", trustStorePassword=" + (trustStorePassword == null ? "null" : "***") + ", overrides="
                + overrides + ", fileServers=" + fileServers + ", sessionKeyStore=" + sessionKeyStore
                + ", sessionKeyStorePassword=" + (sessionKeyStorePassword == null ? "null" : "***")
                + ", sessionKeyAlias=" + sessionKeyAlias + "]";
    }

    /** @return the configured data directory, if one was set */
    public Optional<Path> configuredDataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /**
     * The directory a client of this configuration keeps its state in: {@link #dataDirectory()} if
     * set, else {@code <user.home>/.m800/<applicationIdentifier>/<clientId>}.
     */
    public Path dataDirectoryFor(AppMeta appMeta) {
        if (dataDirectory != null) {
            return dataDirectory;
        }
        return Path.of(System.getProperty("user.home"), ".m800", appMeta.applicationIdentifier(), clientId);
    }

    /** Builds a {@link ClientConfig}; not thread-safe. */
    public static final class Builder {
        private String clientId = "client-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        private List<URI> imServers = List.of();
        private List<URI> signUpServers = List.of();
        private List<URI> verificationServers = List.of();
        private List<URI> callServers = List.of();
        private Path dataDirectory;
        private Duration requestTimeout = Duration.ofMillis(DEFAULT_REQUEST_TIMEOUT_MS);
        private Duration connectTimeout = Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS);
        private Duration heartbeatInterval = Duration.ofMillis(DEFAULT_HEARTBEAT_INTERVAL_MS);
        private Duration heartbeatTimeout = Duration.ofMillis(DEFAULT_HEARTBEAT_TIMEOUT_MS);
        private Duration reconnectMinDelay = Duration.ofMillis(DEFAULT_RECONNECT_MIN_DELAY_MS);
        private Duration reconnectMaxDelay = Duration.ofMillis(DEFAULT_RECONNECT_MAX_DELAY_MS);
        private int offlineQueueLimit = DEFAULT_OFFLINE_QUEUE_LIMIT;
        private Duration featureTimeout = Duration.ofMillis(DEFAULT_FEATURE_TIMEOUT_MS);
        private Path trustStore;
        private String trustStorePassword;
        private Map<String, String> overrides = Map.of();
        private List<URI> fileServers = List.of();
        private Path sessionKeyStore;
        private String sessionKeyStorePassword;
        private String sessionKeyAlias;

        private Builder() {
        }

        /**
         * Replaces the per-client overrides. @see ClientConfig#overrides()
         *
         * @since 1.2
         */
        public Builder overrides(Map<String, String> value) {
            this.overrides = value;
            return this;
        }

        /**
         * Adds one per-client override: {@code module} is taken from the feature bundle {@code provider}
         * selects (a feature name, or an LDAP filter in parentheses). @see ClientConfig#overrides()
         *
         * @since 1.2
         */
        public Builder override(String module, String provider) {
            Map<String, String> copy = new java.util.LinkedHashMap<>(overrides == null ? Map.of() : overrides);
            copy.put(module, provider);
            this.overrides = copy;
            return this;
        }

        /** @see ClientConfig#trustStore() */
        public Builder trustStore(Path value) {
            this.trustStore = value;
            return this;
        }

        /** @see ClientConfig#trustStorePassword() */
        public Builder trustStorePassword(String value) {
            this.trustStorePassword = value;
            return this;
        }

        /** @see ClientConfig#sessionKeyStore() @since 1.2 */
        public Builder sessionKeyStore(Path value) {
            this.sessionKeyStore = value;
            return this;
        }

        /** @see ClientConfig#sessionKeyStorePassword() @since 1.2 */
        public Builder sessionKeyStorePassword(String value) {
            this.sessionKeyStorePassword = value;
            return this;
        }

        /** @see ClientConfig#sessionKeyAlias() @since 1.2 */
        public Builder sessionKeyAlias(String value) {
            this.sessionKeyAlias = value;
            return this;
        }

        /** @see ClientConfig#fileServers() @since 1.2 */
        public Builder fileServers(List<URI> value) {
            this.fileServers = value;
            return this;
        }

        /** Parses each string as a URI. @see ClientConfig#fileServers() @since 1.2 */
        public Builder fileServers(String... uris) {
            return fileServers(parse(FILE_SERVERS, uris));
        }

        /** @see ClientConfig#clientId() */
        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        /** @see ClientConfig#imServers() */
        public Builder imServers(List<URI> value) {
            this.imServers = value;
            return this;
        }

        /** Parses each string as a URI. @see ClientConfig#imServers() */
        public Builder imServers(String... uris) {
            return imServers(parse(IM_SERVERS, uris));
        }

        /** @see ClientConfig#signUpServers() */
        public Builder signUpServers(List<URI> value) {
            this.signUpServers = value;
            return this;
        }

        /** Parses each string as a URI. @see ClientConfig#signUpServers() */
        public Builder signUpServers(String... uris) {
            return signUpServers(parse(SIGN_UP_SERVERS, uris));
        }

        /** @see ClientConfig#verificationServers() */
        public Builder verificationServers(List<URI> value) {
            this.verificationServers = value;
            return this;
        }

        /** Parses each string as a URI. @see ClientConfig#verificationServers() */
        public Builder verificationServers(String... uris) {
            return verificationServers(parse(VERIFICATION_SERVERS, uris));
        }

        /** @see ClientConfig#callServers() */
        public Builder callServers(List<URI> value) {
            this.callServers = value;
            return this;
        }

        /** Parses each string as a URI. @see ClientConfig#callServers() */
        public Builder callServers(String... uris) {
            return callServers(parse(CALL_SERVERS, uris));
        }

        /** @see ClientConfig#dataDirectory() */
        public Builder dataDirectory(Path value) {
            this.dataDirectory = value;
            return this;
        }

        /** @see ClientConfig#requestTimeout() */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** @see ClientConfig#connectTimeout() */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** @see ClientConfig#heartbeatInterval() */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        /** @see ClientConfig#heartbeatTimeout() */
        public Builder heartbeatTimeout(Duration value) {
            this.heartbeatTimeout = value;
            return this;
        }

        /** @see ClientConfig#reconnectMinDelay() */
        public Builder reconnectMinDelay(Duration value) {
            this.reconnectMinDelay = value;
            return this;
        }

        /** @see ClientConfig#reconnectMaxDelay() */
        public Builder reconnectMaxDelay(Duration value) {
            this.reconnectMaxDelay = value;
            return this;
        }

        /** @see ClientConfig#offlineQueueLimit() */
        public Builder offlineQueueLimit(int value) {
            this.offlineQueueLimit = value;
            return this;
        }

        /** @see ClientConfig#featureTimeout() */
        public Builder featureTimeout(Duration value) {
            this.featureTimeout = value;
            return this;
        }

        /**
         * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} naming the first bad setting
         */
        public ClientConfig build() {
            return new ClientConfig(clientId, imServers, signUpServers, verificationServers, callServers,
                    dataDirectory, requestTimeout, connectTimeout, heartbeatInterval, heartbeatTimeout,
                    reconnectMinDelay, reconnectMaxDelay, offlineQueueLimit, featureTimeout, trustStore,
                    trustStorePassword, overrides, fileServers, sessionKeyStore, sessionKeyStorePassword, sessionKeyAlias);
        }

        private static List<URI> parse(String field, String... uris) {
            Objects.requireNonNull(uris, field);
            return java.util.Arrays.stream(uris).map(u -> {
                if (u == null) {
                    throw M800Exception.invalidArgument(field + " contains a null URI");
                }
                return ConfigValues.parseUri(field, u.strip());
            }).toList();
        }
    }
}
