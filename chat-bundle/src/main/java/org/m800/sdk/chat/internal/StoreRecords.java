package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** The {@link ChatLog} record forms of conversations ({@code "t":"c"}) and messages ({@code "t":"m"}). */
final class StoreRecords {
    private StoreRecords() {
    }

    static Map<String, Object> conversation(StoredConversation c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("t", "c");
        r.put("id", c.id);
        r.put("k", c.kind);
        r.put("ti", c.title);
        List<Map<String, Object>> members = new ArrayList<>();
        for (StoredMember m : c.members) {
            members.add(Map.of("u", m.userId(), "r", m.role(), "d", m.deliveredUpTo(), "rd", m.readUpTo()));
        }
        r.put("mb", members);
        r.put("ls", c.lastSeq);
        r.put("mr", c.myRead);
        r.put("js", c.joinedSeq);
        r.put("in", c.member);
        r.put("od", c.othersDelivered);
        r.put("or", c.othersRead);
        r.put("sy", c.syncedTo);
        return r;
    }

    /** Applies a conversation record to the conversation {@code conv} finds or makes. */
    static void readConversation(Map<String, Object> r, BiFunction<String, String, StoredConversation> conv) {
        StoredConversation c = conv.apply(String.valueOf(r.get("id")), String.valueOf(r.get("k")));
        c.title = String.valueOf(r.getOrDefault("ti", ""));
        List<StoredMember> members = new ArrayList<>();
        for (Object o : Codec.list(r.get("mb"))) {
            Map<String, Object> m = Codec.map(o);
            members.add(new StoredMember(String.valueOf(m.get("u")), String.valueOf(m.get("r")), Codec.num(m.get("d")),
                    Codec.num(m.get("rd"))));
        }
        c.members = List.copyOf(members);
        c.lastSeq = Math.max(c.lastSeq, Codec.num(r.get("ls")));
        c.myRead = Codec.num(r.get("mr"));
        c.joinedSeq = Codec.num(r.get("js"));
        c.member = !Boolean.FALSE.equals(r.get("in"));
        c.othersDelivered = Codec.num(r.get("od"));
        c.othersRead = Codec.num(r.get("or"));
        c.syncedTo = Codec.num(r.get("sy"));
    }

    static Map<String, Object> message(StoredMessage m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("t", "m");
        r.put("id", m.id);
        r.put("c", m.conv);
        r.put("s", m.sender);
        r.put("q", m.seq);
        r.put("ts", m.ts);
        r.put("ct", m.content);
        if (m.editedAt != 0) {
            r.put("e", m.editedAt);
        }
        if (!m.reactions.isEmpty()) {
            r.put("r", m.reactions);
        }
        if (m.failure != null) {
            r.put("f", m.failure);
        }
        if (!m.withheldFrom.isEmpty()) {
            r.put("w", m.withheldFrom);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    static StoredMessage readMessage(Map<String, Object> r) {
        StoredMessage m = new StoredMessage();
        m.id = String.valueOf(r.get("id"));
        m.conv = String.valueOf(r.get("c"));
        m.sender = String.valueOf(r.get("s"));
        m.seq = Codec.num(r.get("q"));
        m.ts = Codec.num(r.get("ts"));
        m.content = r.get("ct") == null ? null : Codec.map(r.get("ct"));
        m.editedAt = Codec.num(r.get("e"));
        Object reactions = r.get("r");
        m.reactions = reactions instanceof Map<?, ?> rm ? (Map<String, List<String>>) rm : Map.of();
        m.failure = (String) r.get("f");
        List<String> withheldFrom = new ArrayList<>();
        Codec.list(r.get("w")).forEach(u -> withheldFrom.add(String.valueOf(u)));
        m.withheldFrom = List.copyOf(withheldFrom);
        return m;
    }

    /** @return the records of everything the conversations hold, for a compacted log */
    static List<Map<String, Object>> all(java.util.Collection<StoredConversation> convs) {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        convs.forEach(c -> records.add(conversation(c)));
        convs.forEach(c -> {
            c.bySeq.values().forEach(m -> records.add(message(m)));
            c.unsent.values().forEach(m -> records.add(message(m)));
        });
        return records;
    }
}
