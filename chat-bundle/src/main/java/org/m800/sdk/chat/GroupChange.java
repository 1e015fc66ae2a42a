package org.m800.sdk.chat;

import java.util.List;

/**
 * What changed in a conversation, in {@link ChatListener#conversationUpdated}.
 *
 * @param kind the change
 * @param actor the user who made it ({@code null} for changes made by this client's sync)
 * @param userIds the users it concerns (invited, removed, left; for {@code LEFT} the new owner follows the leaver)
 */
public record GroupChange(Kind kind, String actor, List<String> userIds) {

    /** The kinds of change. */
    public enum Kind {
        /** The conversation became known to this client (created, first message, synced). */
        CREATED,
        RENAMED,
        INVITED,
        REMOVED,
        LEFT,
        ROLE,
        /** The logged-in user's read marker moved (on this or another device). */
        READ_MARKER
    }
}
