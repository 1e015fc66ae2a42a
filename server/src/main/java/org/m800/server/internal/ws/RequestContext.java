package org.m800.server.internal.ws;

import org.m800.server.ApplicationRegistration;

/**
 * Who sent a WebSocket request: the authenticated user and login session, and the application.
 *
 * @param userId the user
 * @param sessionId the login session
 * @param application the application that signed the hello
 */
public record RequestContext(String userId, String sessionId, ApplicationRegistration application) {
}
