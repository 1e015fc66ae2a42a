package org.m800.server.internal.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireException;

/**
 * The chat's wire format (docs/protocol.md section "Chat"): the checks of request fields and the JSON
 * of conversations and messages. Pure functions, no state.
 */
final class ChatWire {

    /** The largest {@code text} of a text message or an edit, in characters (code points). */
    static final int MAX_TEXT_CHARS = 4_096;
    /** The largest {@code content} object of a message, as UTF-8 JSON bytes. */
    static final int MAX_CONTENT_BYTES = 16_384;
    /** The largest group, owner included. */
    static final int MAX_GROUP_MEMBERS = 256;
    static final int MAX_TITLE_CHARS = 100;
    static final int MAX_HISTORY_PAGE = 200;
    static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,80}");
    static final Pattern CUSTOM_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private ChatWire() {
    }

    static String conversationId(ObjectNode data) throws WireException {
        return Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
    }

    static String messageId(ObjectNode data) throws WireException {
        return Fields.requiredText(data, "messageId", 1, 64, Limits.REQUEST_ID);
    }

    static String userId(ObjectNode data) throws WireException {
        return Fields.requiredText(data, "userId", 1, 64, null);
    }

    static String title(ObjectNode data) throws WireException {
        String title = Fields.requiredText(data, "title", 1, MAX_TITLE_CHARS, null);
        if (title.isBlank()) {
            throw WireException.invalid("title", "BAD_FIELD", "title must not be blank");
        }
        return title;
    }

    /** The checked content of {@code chat.send} and its JSON, at most {@link #MAX_CONTENT_BYTES}. */
    record Content(ObjectNode content, String json) {
    }

    static Content sendContent(ObjectNode data) throws WireException {
        ObjectNode content = content(Fields.requiredObject(data, "content"));
        String contentJson = Json.write(content);
        if (contentJson.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
            throw WireException.invalid("content", "TOO_LARGE", "content must be at most " + MAX_CONTENT_BYTES
                    + " bytes of JSON");
        }
        return new Content(content, contentJson);
    }

    /** The content of a message, checked and rebuilt with only the members this version knows. */
    static ObjectNode content(ObjectNode in) throws WireException {
        String kind = Fields.requiredText(in, "kind", 1, 16, null);
        ObjectNode out = Json.object().put("kind", kind);
        switch (kind) {
            case "text" -> out.put("text", text(in, "text"));
            case "media" -> {
                out.put("fileId", Fields.requiredText(in, "fileId", 1, 128, null));
                out.put("mimeType", Fields.requiredText(in, "mimeType", 1, 100, null));
                Long size = Fields.optionalNonNegativeLong(in, "size");
                if (size == null) {
                    throw WireException.invalid("size", "MISSING_FIELD", "size is required: the file's size in bytes");
                }
                out.put("size", size);
                for (String f : List.of("width", "height", "durationMs")) {
                    Long v = Fields.optionalNonNegativeLong(in, f);
                    if (v != null) {
                        out.put(f, v);
                    }
                }
                String thumb = Fields.optionalText(in, "thumbnailFileId", 1, 128, null);
                if (thumb != null) {
                    out.put("thumbnailFileId", thumb);
                }
                String name = Fields.optionalText(in, "name", 0, 255, null);
                if (name != null) {
                    out.put("name", name);
                }
                String caption = Fields.optionalText(in, "caption", 0, MAX_TEXT_CHARS, null);
                if (caption != null) {
                    out.put("caption", caption);
                }
            }
            case "location" -> {
                out.put("latitude", coordinate(in, "latitude", 90));
                out.put("longitude", coordinate(in, "longitude", 180));
                String label = Fields.optionalText(in, "label", 0, 200, null);
                if (label != null) {
                    out.put("label", label);
                }
            }
            case "custom" -> {
                out.put("customType", Fields.requiredText(in, "customType", 1, 64, CUSTOM_TYPE));
                out.set("data", Fields.requiredObject(in, "data"));
            }
            default -> throw WireException.invalid("kind", "BAD_FIELD", "kind must be text, media, location or custom");
        }
        return out;
    }

    static String text(ObjectNode in, String field) throws WireException {
        String text = Fields.requiredText(in, field, 1, MAX_TEXT_CHARS, null);
        if (text.isBlank()) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must not be empty or blank");
        }
        return text;
    }

    private static double coordinate(ObjectNode in, String field, double max) throws WireException {
        JsonNode n = in.get(field);
        if (n == null || !n.isNumber()) {
            throw WireException.invalid(field, n == null ? "MISSING_FIELD" : "BAD_FIELD", field + " is required: a number");
        }
        double v = n.asDouble();
        if (Double.isNaN(v) || v < -max || v > max) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be between -" + (int) max + " and " + (int) max);
        }
        return v;
    }

    /** @return the distinct user ids of an array field, in order; at least {@code min} */
    static Set<String> userIds(ObjectNode data, String field, int min) throws WireException {
        JsonNode n = data.get(field);
        Set<String> ids = new LinkedHashSet<>();
        if (n == null || n.isNull()) {
            if (min > 0) {
                throw WireException.invalid(field, "MISSING_FIELD", field + " is required: an array of user ids");
            }
            return ids;
        }
        if (!n.isArray()) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be an array of user ids");
        }
        for (JsonNode u : n) {
            if (!u.isTextual() || u.textValue().isEmpty() || u.textValue().length() > 64) {
                throw WireException.invalid(field, "BAD_FIELD", field + " must hold user ids (strings of 1 to 64 characters)");
            }
            ids.add(u.textValue());
        }
        if (ids.size() < min) {
            throw WireException.invalid(field, "MISSING_FIELD", field + " must name at least " + min + " user");
        }
        if (ids.size() > MAX_GROUP_MEMBERS) {
            throw WireException.invalid(field, "TOO_LONG", field + " may name at most " + MAX_GROUP_MEMBERS + " users");
        }
        return ids;
    }

    /** The conversation as {@code forUser} sees it. Caller holds the conversation's monitor. */
    static ObjectNode conversationJson(Conv c, String forUser) {
        ObjectNode o = Json.object();
        o.put("id", c.id);
        o.put("kind", c.kind);
        o.put("title", c.title);
        o.put("createdBy", c.createdBy);
        o.put("createdAt", c.createdAt);
        o.put("lastSeq", c.lastSeq);
        Member me = c.members.get(forUser);
        if (me != null) {
            o.put("joinedSeq", me.joinedSeq);
        }
        ArrayNode members = o.putArray("members");
        c.members.forEach((u, m) -> members.addObject().put("userId", u).put("role", m.role)
                .put("deliveredUpTo", m.deliveredUpTo).put("readUpTo", m.readUpTo));
        return o;
    }

    /** A message; {@code editedAt} 0 and {@code reactions} null or empty are left out. */
    static ObjectNode messageJson(String convId, String kind, long seq, String messageId, String sender, long ts,
            JsonNode content, long editedAt, boolean deleted, JsonNode reactions) {
        ObjectNode m = Json.object();
        m.put("conversationId", convId);
        m.put("kind", kind);
        m.put("seq", seq);
        m.put("messageId", messageId);
        m.put("senderId", sender);
        m.put("ts", ts);
        m.set("content", content);
        if (editedAt != 0) {
            m.put("editedAt", editedAt);
        }
        if (deleted) {
            m.put("deleted", true);
        }
        if (reactions != null && !reactions.isEmpty()) {
            m.set("reactions", reactions);
        }
        return m;
    }
}
