package org.m800.server.internal;

import java.nio.file.Path;
import java.util.List;
import org.m800.server.ApplicationRegistration;

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
 */
public record ServerSettings(String host, int port, String jdbcUrl, String jdbcUser, String jdbcPassword,
        List<ApplicationRegistration> applications, Path keyStore, String keyStorePassword) {
}
