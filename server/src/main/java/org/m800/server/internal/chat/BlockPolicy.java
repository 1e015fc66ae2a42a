package org.m800.server.internal.chat;

import java.sql.SQLException;

/**
 * Decides whether a recipient has blocked a sender. The chat service asks it for every recipient of
 * every message, reaction and typing signal; a blocked recipient does not get the event, and the
 * sender is not told (its message is accepted as usual and simply never reaches that recipient, so it
 * is never reported as delivered or read by them). The contacts feature supplies the real block list;
 * the default blocks nobody. Must be thread-safe and fast (called on the message path; keep the block
 * list in memory).
 */
@FunctionalInterface
public interface BlockPolicy {

    /** The default: nobody blocks anybody. */
    BlockPolicy NONE = (recipient, sender) -> false;

    /**
     * @param recipientUserId the user who would receive
     * @param senderUserId the user who sends
     * @return whether the recipient has blocked the sender
     */
    boolean blocks(String recipientUserId, String senderUserId) throws SQLException;
}
