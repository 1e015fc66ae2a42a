package org.m800.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.m800.server.internal.RunningServer;
import org.m800.server.internal.ServerSettings;
import org.m800.server.internal.auth.Applications;
import org.m800.server.internal.files.FileLimits;

/**
 * The M800 reference server, embedded: the counterpart of the SDK that speaks the wire protocol of
 * {@code docs/protocol.md} (accounts over HTTP, the IM session over WebSocket, the per-user event
 * log) on one port, storing its state in an embedded H2 database in a data directory (or any JDBC
 * database).
 *
 * <pre>{@code
 * try (ReferenceServer server = ReferenceServer.builder()
 *         .dataDirectory(Path.of("data"))
 *         .port(0)                       // a free port
 *         .build()
 *         .start()) {
 *     URI im = server.imUri();           // ws://127.0.0.1:<port>/v1/im
 *     URI http = server.httpUri();       // http://127.0.0.1:<port> (sign-up, verification)
 * }
 * }</pre>
 *
 * <p>Lifecycle: built, then {@link #start()} once, then {@link #close()}; a closed server cannot be
 * started again (build a new one on the same data directory to restart: accounts and event logs
 * survive). {@link #close()} stops every thread and socket the server started and closes the
 * database. Thread-safe: every method may be called from any thread.
 */
public final class ReferenceServer implements AutoCloseable {
    /** Path of the IM WebSocket endpoint. */
    public static final String IM_PATH = RunningServer.IM_PATH;
    /** Path of the call-signalling WebSocket endpoint. */
    public static final String CALL_PATH = RunningServer.CALL_PATH;
    /** Path of the readiness endpoint (200 when ready). */
    public static final String HEALTH_PATH = "/health";

    private final ServerSettings settings;
    private RunningServer running;
    private boolean closed;

    private ReferenceServer(ServerSettings settings) {
        this.settings = settings;
    }

    /** @return a builder with the defaults: host 127.0.0.1, port 8080, the development application */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the database, applies pending schema migrations and starts listening. Blocks until the
     * server is ready ({@code GET /health} answers 200).
     *
     * @return this server
     * @throws IOException if the database or the socket cannot be opened; nothing is left running
     * @throws IllegalStateException if already started or closed
     */
    public synchronized ReferenceServer start() throws IOException {
        if (running != null || closed) {
            throw new IllegalStateException(closed ? "server is closed" : "server is already started");
        }
        try {
            running = RunningServer.start(settings);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot start the M800 reference server: " + e.getMessage(), e);
        }
        return this;
    }

    /** @return whether the server is started, not closed, and serving */
    public synchronized boolean isRunning() {
        return running != null && running.isReady();
    }

    /**
     * @return the port the server listens on (the chosen one when configured with 0); before
     *         {@link #start()}, the configured port if it is not 0, so the endpoint URIs can be handed
     *         out while the server starts
     * @throws IllegalStateException if configured with port 0 and not started
     */
    public synchronized int port() {
        if (running == null) {
            if (settings.port() != 0) {
                return settings.port();
            }
            throw new IllegalStateException("server is not started (and its port is chosen when it starts)");
        }
        return running.port();
    }

    /** @return the bound host, such as {@code 127.0.0.1} */
    public String host() {
        return settings.host();
    }

    /** @return whether the server speaks TLS ({@code https}/{@code wss}) */
    public boolean isSecure() {
        return settings.keyStore() != null;
    }

    /** @return the HTTP origin, {@code http(s)://host:port}: the base of signUpServers and verificationServers */
    public URI httpUri() {
        return URI.create((isSecure() ? "https" : "http") + "://" + hostForUri() + ":" + port());
    }

    /** @return the IM endpoint, {@code ws(s)://host:port/v1/im}: an imServers entry */
    public URI imUri() {
        return URI.create((isSecure() ? "wss" : "ws") + "://" + hostForUri() + ":" + port() + IM_PATH);
    }

    /** @return the call-signalling endpoint, {@code ws(s)://host:port/v1/call}: a callServers entry */
    public URI callUri() {
        return URI.create((isSecure() ? "wss" : "ws") + "://" + hostForUri() + ":" + port() + CALL_PATH);
    }

    /** @return the readiness URI, {@code http(s)://host:port/health} */
    public URI healthUri() {
        return httpUri().resolve(HEALTH_PATH);
    }

    /** @return the applications this server accepts, in registration order */
    public List<ApplicationRegistration> applications() {
        return settings.applications();
    }

    private String hostForUri() {
        String h = settings.host();
        if ("0.0.0.0".equals(h) || h.isEmpty()) {
            return "127.0.0.1";
        }
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    /** Stops listening, closes every connection, stops every thread, closes the database. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (running != null) {
            running.close();
        }
    }

    /** Configures a {@link ReferenceServer}; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private Path dataDirectory;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private Path applicationsFile;
        private final List<ApplicationRegistration> applications = new ArrayList<>();
        private boolean developmentApplication = true;
        private Path keyStore;
        private String keyStorePassword;
        private java.time.Clock clock;
        private java.time.Duration idleTimeout;
        private org.m800.server.internal.ServerLimits limits = org.m800.server.internal.ServerLimits.DEFAULTS;
        private Path filesDirectory;
        private long maxFileSize = FileLimits.DEFAULT_MAX_FILE_BYTES;
        private long storagePerUser = FileLimits.DEFAULT_STORAGE_PER_USER_BYTES;
        private java.time.Duration uploadExpiry = FileLimits.DEFAULT_UPLOAD_EXPIRY;
        private CallSettings callSettings;

        private Builder() {
        }

        /** The address to bind; default {@code 127.0.0.1} (loopback only). */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port; 0 picks a free one (see {@link ReferenceServer#port()}). Default 8080. */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + value);
            }
            this.port = value;
            return this;
        }

        /**
         * The folder of the embedded H2 database ({@code <dir>/m800.mv.db}) and of the server's secret
         * ({@code <dir>/request-log.key}); created if missing. Required unless {@link #jdbcUrl(String)} is
         * set; with a JDBC URL it still holds the secret (kept in memory only without it).
         */
        public Builder dataDirectory(Path value) {
            this.dataDirectory = value;
            return this;
        }

        /**
         * A JDBC URL that replaces the embedded H2 database, such as
         * {@code jdbc:postgresql://db/m800} (the driver must be on the class path) or
         * {@code jdbc:h2:mem:test;DB_CLOSE_DELAY=-1}.
         */
        public Builder jdbcUrl(String value) {
            this.jdbcUrl = value;
            return this;
        }

        /** User and password of {@link #jdbcUrl(String)}; either may be null. */
        public Builder jdbcCredentials(String user, String password) {
            this.jdbcUser = user;
            this.jdbcPassword = password;
            return this;
        }

        /**
         * A JSON file of application registrations,
         * {@code {"applications":[{"carrier":..,"applicationIdentifier":..,"applicationKey":..,
         * "applicationSecret":..,"developerKey":..}]}}, read by {@link #build()}.
         */
        public Builder applicationsFile(Path value) {
            this.applicationsFile = value;
            return this;
        }

        /** Registers one more application. */
        public Builder application(ApplicationRegistration value) {
            applications.add(Objects.requireNonNull(value, "application"));
            return this;
        }

        /** Whether {@link ApplicationRegistration#DEVELOPMENT} is accepted; default true. */
        public Builder developmentApplication(boolean value) {
            this.developmentApplication = value;
            return this;
        }

        /** Serve {@code https}/{@code wss} with the key store (PKCS12 or JKS); null for plain. */
        public Builder keyStore(Path file, String password) {
            this.keyStore = file;
            this.keyStorePassword = password;
            return this;
        }

        /**
         * The clock of the server's rules (code expiry, cooldowns, rate windows, token lifetimes, the
         * signature timestamp check); default the system clock. Tests pass a clock they move forward.
         */
        public Builder clock(java.time.Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * How long a WebSocket connection may stay without receiving a frame before the server drops it
         * as dead (docs/protocol.md 7.3); default 60 s. A user whose last connection is dropped goes
         * offline (presence) within this time plus at most one second. Clients must send a frame more
         * often (their heartbeat interval must be shorter); tests shorten it to see dead connections
         * leave in seconds.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder idleTimeout(java.time.Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("idleTimeout must be positive, was " + value);
            }
            this.idleTimeout = value;
            return this;
        }

        /**
         * How long an HTTP client may take to send a request before its connection is closed: complete
         * headers within {@code headers} of the connection's opening (or of the end of its previous
         * request), the whole body within {@code body} of the headers. Defaults 10 s and 30 s. A slow
         * client holds no thread meanwhile (bodies are read asynchronously); these bound how long it
         * holds a connection.
         *
         * @throws IllegalArgumentException if either is not positive
         */
        public Builder requestTimeouts(java.time.Duration headers, java.time.Duration body) {
            this.limits = limits.withRequestTimeouts(headers, body);
            return this;
        }

        /**
         * The folder of uploaded file bytes (docs/protocol.md section 12); created if missing. Default
         * {@code <dataDirectory>/files}; with a {@link #jdbcUrl(String)} and no data directory, a
         * temporary folder deleted when the server closes. File names sent by users never become paths.
         */
        public Builder filesDirectory(Path value) {
            this.filesDirectory = value;
            return this;
        }

        /**
         * How many authenticated WebSocket connections one user may hold at once, over every endpoint
         * and device (default 32); a hello beyond it is answered {@code RATE_LIMITED/TOO_MANY_CONNECTIONS}
         * and the connection closed.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder connectionsPerUser(int value) {
            this.limits = limits.withConnectionsPerUser(value);
            return this;
        }

        /**
         * The largest file accepted for upload, in bytes; default 100 MiB. A larger {@code Upload-Length}
         * is refused with 413 {@code INVALID_ARGUMENT/TOO_LARGE}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxFileSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxFileSize must not be negative, was " + bytes);
            }
            this.maxFileSize = bytes;
            return this;
        }

        /**
         * The event log's retention (docs/protocol.md 8.1): events older than {@code retention} and
         * beyond a user's newest {@code perUser} are deleted (checked every minute); a user's newest
         * event is always kept. A client resuming from before the oldest kept event gets {@code "gap":
         * true} and re-synchronises. Defaults 30 days and 10,000.
         *
         * @throws IllegalArgumentException if retention is not positive or perUser below 1
         */
        public Builder eventRetention(java.time.Duration retention, int perUser) {
            this.limits = limits.withEventRetention(retention, perUser);
            return this;
        }

        /**
         * How many groups one user may create in an hour (default 100); beyond it {@code group.create}
         * is answered {@code RATE_LIMITED/GROUP_RATE} with the time to wait.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder groupsPerUserPerHour(int value) {
            this.limits = limits.withGroupsPerUserPerHour(value);
            return this;
        }

        /**
         * The rate of WebSocket requests one user may send, over all its connections and endpoints
         * (heartbeats and acks are not requests): {@code burst} at once, then {@code perSecond} on average
         * (a token bucket). Defaults 200 per second, burst 2,000. A request beyond it is answered
         * {@code RATE_LIMITED/REQUEST_RATE} with {@code retryAfterMs} and not executed; the connection
         * stays open.
         *
         * @throws IllegalArgumentException if perSecond is not positive and finite or burst below 1
         */
        public Builder requestRate(double perSecond, int burst) {
            this.limits = limits.withRates(limits.rates().withRequestRate(perSecond, burst));
            return this;
        }

        /**
         * The rate of chat messages ({@code chat.send}) one user may send, counted besides the request
         * rate: {@code burst} at once, then {@code perSecond} on average. Defaults 100 per second, burst
         * 1,000. Beyond it: {@code RATE_LIMITED/MESSAGE_RATE} with {@code retryAfterMs} (the SDK keeps the
         * message in its outbox and sends it again).
         *
         * @throws IllegalArgumentException if perSecond is not positive and finite or burst below 1
         */
        public Builder messageRate(double perSecond, int burst) {
            this.limits = limits.withRates(limits.rates().withMessageRate(perSecond, burst));
            return this;
        }

        /**
         * How many sign-up attempts are accepted per hour from one source IP address and from one
         * application (all addresses); each is also the burst (a token bucket refilling over an hour).
         * Defaults 100 and 10,000. Beyond them: {@code RATE_LIMITED/SIGNUP_ADDRESS_LIMIT} or
         * {@code SIGNUP_APPLICATION_LIMIT} with {@code retryAfterMs}. Behind a reverse proxy every client
         * has the proxy's address: raise the first.
         *
         * @throws IllegalArgumentException if either is below 1
         */
        public Builder signUpsPerHour(int perAddress, int perApplication) {
            this.limits = limits.withRates(limits.rates().withSignUpsPerHour(perAddress, perApplication));
            return this;
        }

        /**
         * How many bytes one user's files and unfinished uploads may take together; default 1 GiB. An
         * upload that would go beyond it is refused with 413 {@code QUOTA_EXCEEDED}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder storagePerUser(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("storagePerUser must not be negative, was " + bytes);
            }
            this.storagePerUser = bytes;
            return this;
        }

        /**
         * How long an upload may stay unfinished before it and its bytes are deleted; default 24 h
         * (tests shorten it to see the sweeper work).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder uploadExpiry(java.time.Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("uploadExpiry must be positive, was " + value);
            }
            this.uploadExpiry = value;
            return this;
        }

        /**
         * How calls run (docs/protocol.md section 13): ring and media timeouts, busy or waiting, the relay's
         * address and UDP port range; default {@link CallSettings#DEFAULTS}. Tests shorten the timeouts.
         */
        public Builder callSettings(CallSettings value) {
            this.callSettings = value;
            return this;
        }

        /**
         * @throws IllegalArgumentException if neither a data directory nor a JDBC URL is set, no
         *         application is registered, two differ under one key, or the applications file is bad
         * @throws java.io.UncheckedIOException if the data directory cannot be created or the file read
         */
        public ReferenceServer build() {
            String url = jdbcUrl;
            if (url == null) {
                if (dataDirectory == null) {
                    throw new IllegalArgumentException("a data directory or a JDBC URL is required");
                }
                try {
                    Files.createDirectories(dataDirectory);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot create " + dataDirectory, e);
                }
                // a larger per-connection statement cache: the message path uses more than H2's default 8
                url = "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("m800")
                        + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64";
            }
            Map<String, ApplicationRegistration> apps = new LinkedHashMap<>();
            List<ApplicationRegistration> all = new ArrayList<>();
            if (developmentApplication) {
                all.add(ApplicationRegistration.DEVELOPMENT);
            }
            if (applicationsFile != null) {
                try {
                    all.addAll(Applications.readFile(applicationsFile));
                } catch (IOException e) {
                    throw new IllegalArgumentException("bad applications file: " + e.getMessage(), e);
                }
            }
            all.addAll(applications);
            for (ApplicationRegistration a : all) {
                ApplicationRegistration old = apps.putIfAbsent(a.applicationKey(), a);
                if (old != null && !old.equals(a)) {
                    throw new IllegalArgumentException("two applications share the key " + a.applicationKey());
                }
            }
            if (apps.isEmpty()) {
                throw new IllegalArgumentException("no application is registered");
            }
            Path files = filesDirectory != null ? filesDirectory
                    : dataDirectory != null ? dataDirectory.resolve("files") : null;
            return new ReferenceServer(new ServerSettings(host, port, url, jdbcUser, jdbcPassword,
                    List.copyOf(apps.values()), keyStore, keyStorePassword, clock, idleTimeout, limits,
                    dataDirectory, new FileLimits(files, maxFileSize, storagePerUser, uploadExpiry), callSettings));
        }
    }
}
