package org.m800.sdk.chat;

import java.util.Map;
import java.util.Objects;

/**
 * What a message carries: text, a reference to a file (media), a location, or application data.
 * Its JSON form must stay within {@link ChatManager#MAX_CONTENT_BYTES}; a text within
 * {@link ChatManager#MAX_TEXT_CHARS} characters.
 */
public sealed interface MessageContent {

    /** A text message. @param text 1 to {@value ChatManager#MAX_TEXT_CHARS} characters, not blank */
    record Text(String text) implements MessageContent {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A reference to a file uploaded with the file feature; the bytes never travel in a message.
     *
     * @param fileId the file's id on the file server
     * @param mimeType such as {@code image/jpeg}
     * @param size in bytes
     * @param width pixels, or {@code null}
     * @param height pixels, or {@code null}
     * @param durationMs of audio or video, or {@code null}
     * @param thumbnailFileId the file id of a thumbnail, or {@code null}
     * @param name a file name to show, or {@code null}
     * @param caption a caption, or {@code null}
     */
    record Media(String fileId, String mimeType, long size, Long width, Long height, Long durationMs,
            String thumbnailFileId, String name, String caption) implements MessageContent {
        public Media {
            Objects.requireNonNull(fileId, "fileId");
            Objects.requireNonNull(mimeType, "mimeType");
        }
    }

    /** A place. @param latitude -90 to 90 @param longitude -180 to 180 @param label a name to show, or {@code null} */
    record Location(double latitude, double longitude, String label) implements MessageContent {
    }

    /**
     * Application-defined content.
     *
     * @param customType the application's name for it, {@code [A-Za-z0-9._:-]{1,64}}
     * @param data a JSON object as plain Java values (maps with string keys, lists, strings, numbers,
     *        booleans, null)
     */
    record Custom(String customType, Map<String, Object> data) implements MessageContent {
        public Custom {
            Objects.requireNonNull(customType, "customType");
            Objects.requireNonNull(data, "data");
        }
    }

    /** The content of a message deleted for everyone. */
    record Deleted() implements MessageContent {
    }

    /** Shorthand for {@code new Text(text)}. */
    static MessageContent text(String text) {
        return new Text(text);
    }
}
