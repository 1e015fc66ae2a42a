package org.m800.sdk.chat.internal;

import java.util.List;
import java.util.Map;

/** A message as stored. */
final class StoredMessage {
    String id;
    String conv;
    String sender;
    long seq;
    long ts;
    Map<String, Object> content;
    long editedAt;
    Map<String, List<String>> reactions = Map.of();
    String failure;
    /** Members who never got this (own) message: they blocked its sender when it was sent. */
    List<String> withheldFrom = List.of();

    boolean deleted() {
        return content == null || "deleted".equals(content.get("kind"));
    }

    String key() {
        return ChatIndex.key(sender, id);
    }

    StoredMessage copy() {
        StoredMessage n = new StoredMessage();
        n.id = id;
        n.conv = conv;
        n.sender = sender;
        n.seq = seq;
        n.ts = ts;
        n.content = content;
        n.editedAt = editedAt;
        n.reactions = reactions;
        n.failure = failure;
        n.withheldFrom = withheldFrom;
        return n;
    }
}
