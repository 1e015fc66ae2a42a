package org.m800.sdk.contacts;

/**
 * A user's presence as the logged-in user may see it.
 *
 * @param userId whose presence
 * @param state online, away or offline
 * @param text the user's custom status text, possibly empty
 * @param lastSeen when the user was last connected, epoch ms (server time), for an offline user who
 *        shows it; 0 when online or away, unknown, or hidden by the user's privacy setting
 */
public record Presence(String userId, PresenceState state, String text, long lastSeen) {
}
