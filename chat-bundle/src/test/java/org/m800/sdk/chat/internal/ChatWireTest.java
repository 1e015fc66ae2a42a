package org.m800.sdk.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.m800.sdk.chat.GroupChange;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** The typed wire records: what the server must send, and a clear PROTOCOL error when it does not. */
public class ChatWireTest {

    private static Map<String, Object> message() {
        Map<String, Object> m = new HashMap<>();
        m.put("conversationId", "d-1");
        m.put("kind", "direct");
        m.put("seq", 7);
        m.put("messageId", "m-1");
        m.put("senderId", "u-1");
        m.put("ts", 1000);
        m.put("content", Map.of("kind", "text", "text", "hi"));
        return m;
    }

    private static void assertProtocol(String expected, Runnable read) {
        M800Exception e = assertThrows(M800Exception.class, read::run);
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }

    @Test
    public void aCompleteMessageIsRead() {
        ChatWire.WireMessage m = ChatWire.WireMessage.of(message());
        assertEquals("m-1", m.id());
        assertEquals(7, m.seq());
        assertEquals("hi", m.content().get("text"));
        Map<String, Object> deleted = message();
        deleted.remove("content");
        deleted.put("deleted", true);
        assertEquals(null, ChatWire.WireMessage.of(deleted).content());
    }

    @Test
    public void aMissingOrMistypedFieldIsAProtocolErrorNotTheStringNull() {
        for (String field : List.of("messageId", "conversationId", "senderId", "seq", "ts", "content")) {
            Map<String, Object> m = message();
            m.remove(field);
            assertProtocol("'" + field + "'", () -> ChatWire.WireMessage.of(m));
        }
        Map<String, Object> wrong = message();
        wrong.put("seq", "seven");
        assertProtocol("'seq' is not a number", () -> ChatWire.WireMessage.of(wrong));
        assertProtocol("chat message is missing", () -> ChatWire.WireMessage.of(null));
        assertProtocol("'userId'", () -> ChatWire.Receipt.of(Map.of("conversationId", "d-1")));
    }

    @Test
    public void anUnknownGroupChangeIsAProtocolErrorNotARoleChange() {
        Map<String, Object> conversation = Map.of("id", "g-1", "kind", "group", "members", List.of());
        GroupChange.Kind renamed = ChatWire.GroupUpdate.of(Map.of("change", "renamed", "actor", "u-1", "conversation",
                conversation)).kind();
        assertEquals(GroupChange.Kind.RENAMED, renamed);
        assertProtocol("unknown change 'promoted'", () -> ChatWire.GroupUpdate.of(Map.of("change", "promoted",
                "conversation", conversation)));
        assertProtocol("unknown kind", () -> ChatWire.WireConversation.of(Map.of("id", "x", "kind", "channel")));
        assertProtocol("'conversationId' is missing", () -> ChatWire.GroupUpdate.of(Map.of("change", "renamed")));
    }

    @Test
    public void aGroupChangeWithoutTheConversationIsAppliedToTheStoredMembers() {
        ChatWire.GroupUpdate joined = ChatWire.GroupUpdate.of(Map.of("conversationId", "g-1", "change", "invited",
                "actor", "u-1", "userIds", List.of("u-3"), "title", "t", "added", List.of(Map.of("userId", "u-3",
                        "role", "member", "deliveredUpTo", 7, "readUpTo", 7))));
        assertEquals(null, joined.conversation());
        List<ChatWire.WireMember> before = List.of(new ChatWire.WireMember("u-1", "owner", 7, 7),
                new ChatWire.WireMember("u-2", "member", 5, 4));
        ChatWire.WireConversation after = joined.after("group", "old", 7, before);
        assertEquals("t", after.title());
        assertEquals(List.of("u-1", "u-2", "u-3"), after.members().stream().map(ChatWire.WireMember::userId).toList());

        ChatWire.GroupUpdate left = ChatWire.GroupUpdate.of(Map.of("conversationId", "g-1", "change", "left",
                "actor", "u-1", "userIds", List.of("u-1", "u-2"), "removed", List.of("u-1"), "roles",
                List.of(Map.of("userId", "u-2", "role", "owner"))));
        ChatWire.WireConversation afterLeave = left.after("group", "old", 7, before);
        assertEquals("old", afterLeave.title());
        assertEquals(List.of(new ChatWire.WireMember("u-2", "owner", 5, 4)), afterLeave.members());
    }
}
