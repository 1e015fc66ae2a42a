package org.m800.server.internal.auth;

/**
 * The application-authentication values of one request, as received (any may be {@code null}).
 *
 * @param applicationKey the claimed application key
 * @param timestamp the epoch seconds as text
 * @param nonce the nonce
 * @param signature the hex signature
 * @param method {@code POST}, {@code GET}... or {@code HELLO}
 * @param path the path and query as sent
 * @param bodyHash lowercase hex SHA-256 of the body (of the access token for a hello)
 */
public record SignedRequest(String applicationKey, String timestamp, String nonce, String signature, String method,
        String path, String bodyHash) {
}
