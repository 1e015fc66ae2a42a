package org.m800.sdk.chat.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.core.M800Exception;

/** Message content to and from its wire form (plain maps), with the limits checked. */
final class Codec {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CUSTOM_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private Codec() {
    }

    /**
     * @return the wire form of the content
     * @throws M800Exception INVALID_ARGUMENT naming what is wrong
     */
    static Map<String, Object> toWire(MessageContent content) {
        if (content == null) {
            throw M800Exception.invalidArgument("content must not be null");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (content instanceof MessageContent.Text t) {
            m.put("kind", "text");
            m.put("text", checkText(t.text()));
        } else if (content instanceof MessageContent.Media media) {
            m.put("kind", "media");
            m.put("fileId", checkLength("fileId", media.fileId(), 1, 128));
            m.put("mimeType", checkLength("mimeType", media.mimeType(), 1, 100));
            if (media.size() < 0) {
                throw M800Exception.invalidArgument("size must not be negative");
            }
            m.put("size", media.size());
            putNonNegative(m, "width", media.width());
            putNonNegative(m, "height", media.height());
            putNonNegative(m, "durationMs", media.durationMs());
            if (media.thumbnailFileId() != null) {
                m.put("thumbnailFileId", checkLength("thumbnailFileId", media.thumbnailFileId(), 1, 128));
            }
            if (media.name() != null) {
                m.put("name", checkLength("name", media.name(), 0, 255));
            }
            if (media.caption() != null) {
                m.put("caption", checkLength("caption", media.caption(), 0, ChatManager.MAX_TEXT_CHARS));
            }
        } else if (content instanceof MessageContent.Location l) {
            if (!(l.latitude() >= -90 && l.latitude() <= 90) || !(l.longitude() >= -180 && l.longitude() <= 180)) {
                throw M800Exception.invalidArgument("latitude must be -90 to 90 and longitude -180 to 180");
            }
            m.put("kind", "location");
            m.put("latitude", l.latitude());
            m.put("longitude", l.longitude());
            if (l.label() != null) {
                m.put("label", checkLength("label", l.label(), 0, 200));
            }
        } else if (content instanceof MessageContent.Custom c) {
            if (!CUSTOM_TYPE.matcher(c.customType()).matches()) {
                throw M800Exception.invalidArgument("customType must match [A-Za-z0-9._:-]{1,64}");
            }
            m.put("kind", "custom");
            m.put("customType", c.customType());
            m.put("data", c.data());
        } else {
            throw M800Exception.invalidArgument("a deleted message cannot be sent");
        }
        int bytes = bytes(m);
        if (bytes > ChatManager.MAX_CONTENT_BYTES) {
            throw M800Exception.invalidArgument("the message content is " + bytes + " bytes as JSON; the limit is "
                    + ChatManager.MAX_CONTENT_BYTES + " (MAX_CONTENT_BYTES)");
        }
        return m;
    }

    static String checkText(String text) {
        if (text == null || text.isBlank()) {
            throw M800Exception.invalidArgument("text must not be empty or blank");
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > ChatManager.MAX_TEXT_CHARS) {
            throw M800Exception.invalidArgument("text is " + chars + " characters; the limit is "
                    + ChatManager.MAX_TEXT_CHARS + " (MAX_TEXT_CHARS)");
        }
        return text;
    }

    private static String checkLength(String field, String value, int min, int max) {
        if (value == null) {
            throw M800Exception.invalidArgument(field + " must not be null");
        }
        int chars = value.codePointCount(0, value.length());
        if (chars < min || chars > max) {
            throw M800Exception.invalidArgument(field + " must be " + min + " to " + max + " characters");
        }
        return value;
    }

    private static void putNonNegative(Map<String, Object> m, String field, Long value) {
        if (value != null) {
            if (value < 0) {
                throw M800Exception.invalidArgument(field + " must not be negative");
            }
            m.put(field, value);
        }
    }

    private static int bytes(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw M800Exception.invalidArgument("custom data cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** @return the content from its wire (or stored) form; unknown kinds become Custom of type {@code unknown:<kind>} */
    @SuppressWarnings("unchecked")
    static MessageContent fromWire(Map<String, Object> m) {
        if (m == null) {
            return new MessageContent.Deleted();
        }
        String kind = String.valueOf(m.get("kind"));
        switch (kind) {
            case "text":
                return new MessageContent.Text(String.valueOf(m.get("text")));
            case "media":
                return new MessageContent.Media(String.valueOf(m.get("fileId")), String.valueOf(m.get("mimeType")),
                        num(m.get("size")), optNum(m.get("width")), optNum(m.get("height")), optNum(m.get("durationMs")),
                        (String) m.get("thumbnailFileId"), (String) m.get("name"), (String) m.get("caption"));
            case "location":
                return new MessageContent.Location(((Number) m.get("latitude")).doubleValue(),
                        ((Number) m.get("longitude")).doubleValue(), (String) m.get("label"));
            case "custom":
                return new MessageContent.Custom(String.valueOf(m.get("customType")),
                        m.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of());
            case "deleted":
                return new MessageContent.Deleted();
            default:
                return new MessageContent.Custom("unknown:" + kind, m);
        }
    }

    static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    static Long optNum(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
