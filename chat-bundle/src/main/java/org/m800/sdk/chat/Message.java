package org.m800.sdk.chat;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a message.
 *
 * @param id the message id, made by the sending client; unique for its sender
 * @param conversationId its conversation
 * @param senderId the sending user
 * @param seq its position in the conversation, given by the server (1, 2, 3...); 0 while {@link MessageState#SENDING}
 * @param timestamp when the server accepted it (epoch ms); while sending, when {@code send} was called
 * @param content what it carries ({@link MessageContent.Deleted} once deleted for everyone)
 * @param state its state; outgoing messages go SENDING, SENT, DELIVERED, READ (or FAILED)
 * @param outgoing whether the logged-in user sent it (from this device or another)
 * @param editedAt when it was last edited (epoch ms), 0 if never
 * @param reactions emoji to the users who reacted with it
 * @param failure why the server refused it when FAILED, else {@code null}
 */
public record Message(String id, String conversationId, String senderId, long seq, long timestamp,
        MessageContent content, MessageState state, boolean outgoing, long editedAt,
        Map<String, List<String>> reactions, String failure) {

    /** @return whether the sender deleted it for everyone */
    public boolean deleted() {
        return content instanceof MessageContent.Deleted;
    }

    /** @return the text of a text message, else {@code null} */
    public String text() {
        return content instanceof MessageContent.Text t ? t.text() : null;
    }
}
