package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.m800.sdk.core.WireFields;
import org.m800.sdk.chat.GroupChange;

/**
 * The server's chat objects as typed records ({@code docs/protocol.md} section 18), each read once
 * from the wire map; a missing or wrong field fails with PROTOCOL.
 */
final class ChatWire {
    private ChatWire() {
    }

    /** A message, in {@code chat.message} events and history pages. */
    record WireMessage(String id, String conversationId, String senderId, String kind, long seq, long ts,
            Map<String, Object> content, long editedAt, Map<String, List<String>> reactions) {

        static WireMessage of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat message");
            boolean deleted = f.flag("deleted");
            Map<String, Object> content = deleted ? null : f.objectOrNull("content");
            if (!deleted && content == null) {
                throw WireFields.protocol("chat message: field 'content' is missing");
            }
            return new WireMessage(f.text("messageId"), f.text("conversationId"), f.text("senderId"),
                    f.text("kind", "direct"), f.num("seq"), f.num("ts"), content, f.numOr0("editedAt"),
                    f.textLists("reactions"));
        }

        /** @return the message as the store keeps it */
        StoredMessage toMsg() {
            StoredMessage m = new StoredMessage();
            m.id = id;
            m.conv = conversationId;
            m.sender = senderId;
            m.seq = seq;
            m.ts = ts;
            m.content = content;
            m.editedAt = editedAt;
            m.reactions = reactions;
            return m;
        }
    }

    /** The answer to {@code chat.send}. */
    record SendAnswer(long seq, long ts) {
        static SendAnswer of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat.send answer");
            return new SendAnswer(f.num("seq"), f.num("ts"));
        }
    }

    /** {@code chat.receipt}: a member's marks moved. */
    record Receipt(String conversationId, String userId, long deliveredUpTo, long readUpTo, List<Long> withheld) {
        static Receipt of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat.receipt");
            List<Long> withheld = new ArrayList<>();
            for (Object o : f.list("withheld")) {
                if (!(o instanceof Number n)) {
                    throw WireFields.protocol("chat.receipt: 'withheld' holds a non-number");
                }
                withheld.add(n.longValue());
            }
            return new Receipt(f.text("conversationId"), f.text("userId"), f.numOr0("deliveredUpTo"),
                    f.numOr0("readUpTo"), List.copyOf(withheld));
        }
    }

    /**
     * {@code chat.edited}, {@code chat.deleted}, {@code chat.reaction} (and the answers to the requests
     * that cause them): a change of the message at {@code seq} in the conversation.
     */
    record Change(String conversationId, String messageId, long seq, Map<String, Object> content, long editedAt,
            Map<String, List<String>> reactions) {
        static Change edited(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat.edited");
            return new Change(f.text("conversationId"), f.text("messageId"), f.num("seq"), f.object("content"),
                    f.num("editedAt"), Map.of());
        }

        static Change deleted(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat.deleted");
            return new Change(f.text("conversationId"), f.text("messageId"), f.num("seq"), null, 0, Map.of());
        }

        static Change reaction(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat.reaction");
            return new Change(f.text("conversationId"), f.text("messageId"), f.num("seq"), null, 0,
                    f.textLists("reactions"));
        }
    }

    /** {@code chat.typing}. */
    record Typing(String conversationId, String userId, boolean typing) {
        static Typing of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat.typing");
            return new Typing(f.text("conversationId"), f.text("userId"), f.flag("typing"));
        }
    }

    /** A member in a conversation object. */
    record WireMember(String userId, String role, long deliveredUpTo, long readUpTo) {
    }

    /** A conversation object. */
    record WireConversation(String id, String kind, String title, long lastSeq, Long joinedSeq,
            List<WireMember> members) {
        static WireConversation of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "conversation");
            String kind = f.text("kind");
            if (!kind.equals("direct") && !kind.equals("group")) {
                throw WireFields.protocol("conversation: unknown kind '" + kind + "'");
            }
            List<WireMember> members = ChatWire.members(f.list("members"), "conversation member");
            Long joined = data.containsKey("joinedSeq") ? f.num("joinedSeq") : null;
            return new WireConversation(f.text("id"), kind, f.text("title", ""), f.numOr0("lastSeq"), joined,
                    members);
        }
    }

    /**
     * {@code group.updated}: what changed (the title, members added, ids removed, new roles) and, for
     * a recipient new to the conversation (or from a server that sends it to everyone), the whole
     * conversation ({@code null} otherwise).
     */
    record GroupUpdate(GroupChange.Kind kind, String conversationId, String actor, List<String> userIds,
            String title, List<WireMember> added, List<String> removed, Map<String, String> roles,
            WireConversation conversation) {
        static GroupUpdate of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "group.updated");
            String change = f.text("change");
            GroupChange.Kind kind = switch (change) {
                case "created" -> GroupChange.Kind.CREATED;
                case "renamed" -> GroupChange.Kind.RENAMED;
                case "invited" -> GroupChange.Kind.INVITED;
                case "removed" -> GroupChange.Kind.REMOVED;
                case "left" -> GroupChange.Kind.LEFT;
                case "role" -> GroupChange.Kind.ROLE;
                default -> throw WireFields.protocol("group.updated: unknown change '" + change + "'");
            };
            Map<String, Object> whole = f.objectOrNull("conversation");
            Map<String, String> roles = new java.util.LinkedHashMap<>();
            for (WireMember m : ChatWire.members(f.list("roles"), "group.updated role")) {
                roles.put(m.userId(), m.role());
            }
            WireConversation conversation = whole == null ? null : WireConversation.of(whole);
            String conversationId = f.text("conversationId", conversation == null ? null : conversation.id());
            if (conversationId == null) {
                throw WireFields.protocol("group.updated: field 'conversationId' is missing");
            }
            return new GroupUpdate(kind, conversationId, f.text("actor", null), f.texts("userIds"),
                    f.text("title", null), ChatWire.members(f.list("added"), "group.updated member"), f.texts("removed"),
                    Map.copyOf(roles), conversation);
        }

        /**
         * @return the conversation after this change, from the stored one before it
         * @param members the stored members, in order
         */
        WireConversation after(String kind, String storedTitle, long lastSeq, List<WireMember> members) {
            List<WireMember> out = new ArrayList<>();
            for (WireMember m : members) {
                if (!removed.contains(m.userId()) && added.stream().noneMatch(a -> a.userId().equals(m.userId()))) {
                    String role = roles.getOrDefault(m.userId(), m.role());
                    out.add(new WireMember(m.userId(), role, m.deliveredUpTo(), m.readUpTo()));
                }
            }
            out.addAll(added);
            return new WireConversation(conversationId, kind, title == null ? storedTitle : title, lastSeq, null,
                    List.copyOf(out));
        }
    }

    private static List<WireMember> members(List<Object> list, String what) {
        List<WireMember> members = new ArrayList<>();
        for (Object o : list) {
            @SuppressWarnings("unchecked")
            WireFields m = new WireFields(o instanceof Map<?, ?> map ? (Map<String, Object>) map : null, what);
            members.add(new WireMember(m.text("userId"), m.text("role"), m.numOr0("deliveredUpTo"),
                    m.numOr0("readUpTo")));
        }
        return List.copyOf(members);
    }

    /** The answer to {@code chat.conversations}. */
    static List<WireConversation> conversations(Map<String, Object> data) {
        List<WireConversation> out = new ArrayList<>();
        for (Object o : new WireFields(data, "chat.conversations answer").list("conversations")) {
            out.add(WireConversation.of(asObject(o, "conversation")));
        }
        return out;
    }

    /** The answer to {@code chat.history}. */
    record HistoryAnswer(List<WireMessage> messages, boolean hasMore) {
        static HistoryAnswer of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "chat.history answer");
            List<WireMessage> messages = new ArrayList<>();
            for (Object o : f.list("messages")) {
                messages.add(WireMessage.of(asObject(o, "chat message")));
            }
            return new HistoryAnswer(List.copyOf(messages), f.flag("hasMore"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw WireFields.protocol(what + " is not an object");
        }
        return (Map<String, Object>) m;
    }
}
