package org.m800.server.internal.events;

/** How a connection attaching to the event log picks its resume point and learns it. */
public interface ResumePlan {
    /** @return the seq after which to replay, given the user's newest seq */
    long resumeFrom(long head);

    /**
     * Called under the log's lock before any replayed event, so an answer can precede the replay.
     *
     * @param gap whether events after {@code resumeFrom} are gone (the log's retention removed them):
     *        the client must re-synchronise its state (docs/protocol.md 8.3)
     */
    void started(long head, long resumeFrom, boolean gap);
}
