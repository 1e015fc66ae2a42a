package org.m800.server.internal.accounts;

/**
 * A login session proved by a valid access token.
 *
 * @param userId the account
 * @param sessionId the login session
 * @param carrier the account's carrier
 * @param ackedSeq the highest acknowledged event seq of the session, -1 if none
 */
public record AuthenticatedSession(String userId, String sessionId, String carrier, long ackedSeq) {
}
