package org.m800.server.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.files.FileLimits;
import org.m800.server.CallSettings;
import org.m800.server.internal.wire.Limits;

/**
 * Everything the server needs to start, checked by the public builder.
 *
 * @param host the address to bind
 * @param port the port, 0 for a free one
 * @param jdbcUrl the database
 * @param jdbcUser may be null
 * @param jdbcPassword may be null; never logged
 * @param applications the registered applications
 * @param keyStore a PKCS12/JKS key store for TLS, or null for plain HTTP/WS
 * @param keyStorePassword the key store's password, or null
 * @param clock the server's clock (tests move it forward to expire codes); null for the system clock
 * @param idleTimeout a WebSocket that receives no frame for this long is dropped (docs/protocol.md 7.3);
 *        null for {@link Limits#IDLE_TIMEOUT}
 * @param limits the protections against slow and abusive clients; null for {@link ServerLimits#DEFAULTS}
 * @param dataDirectory the data directory (where the server keeps its secret beside the embedded
 *        database), or null when the database is given by a JDBC URL alone
 * @param files where file bytes live and the file limits; null for the defaults in a temporary folder
 * @param call how calls run (timeouts, relay); null for {@link CallSettings#DEFAULTS}
 * @param developmentOutbox whether {@code POST /v1/verification/outbox} shows the codes of the
 *        development delivery provider (docs/protocol.md 11.7); off unless asked for
 */
public record ServerSettings(String host, int port, String jdbcUrl, String jdbcUser, String jdbcPassword,
        List<ApplicationRegistration> applications, Path keyStore, String keyStorePassword, Clock clock,
        Duration idleTimeout, ServerLimits limits, Path dataDirectory, FileLimits files, CallSettings call,
        boolean developmentOutbox) {

    public ServerSettings {
        clock = clock == null ? Clock.systemUTC() : clock;
        idleTimeout = idleTimeout == null ? Limits.IDLE_TIMEOUT : idleTimeout;
        limits = limits == null ? ServerLimits.DEFAULTS : limits;
        files = files == null ? FileLimits.defaults(null) : files;
        call = call == null ? CallSettings.DEFAULTS : call;
    }

    /** Settings with the default limits, file limits (files in a temporary folder) and call settings. */
    public ServerSettings(String host, int port, String jdbcUrl, String jdbcUser, String jdbcPassword,
            List<ApplicationRegistration> applications, Path keyStore, String keyStorePassword, Clock clock,
            Duration idleTimeout) {
        this(host, port, jdbcUrl, jdbcUser, jdbcPassword, applications, keyStore, keyStorePassword, clock,
                idleTimeout, null, null, null, null, false);
    }

    /** Settings with the default idle timeout. */
    public ServerSettings(String host, int port, String jdbcUrl, String jdbcUser, String jdbcPassword,
            List<ApplicationRegistration> applications, Path keyStore, String keyStorePassword, Clock clock) {
        this(host, port, jdbcUrl, jdbcUser, jdbcPassword, applications, keyStore, keyStorePassword, clock, null);
    }

    /** Settings with the system clock. */
    public ServerSettings(String host, int port, String jdbcUrl, String jdbcUser, String jdbcPassword,
            List<ApplicationRegistration> applications, Path keyStore, String keyStorePassword) {
        this(host, port, jdbcUrl, jdbcUser, jdbcPassword, applications, keyStore, keyStorePassword, null);
    }
}
