package org.m800.server.internal.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.wire.Json;

/**
 * Who of a conversation gets an event, and its appending to their event logs: every member but those
 * who block the actor. Every method is called with the conversation's lock held, so each member's
 * log holds a conversation's events in the order they happened. Thread-safe.
 */
final class ChatFanOut {
    private final EventLog events;
    private final BlockPolicy blocks;

    /** @param blocks asked for every recipient of every event; the server's slot, so it may change */
    ChatFanOut(EventLog events, BlockPolicy blocks) {
        this.events = events;
        this.blocks = blocks;
    }

    /**
     * Appends the event to the log of every member (the actor's own devices included when
     * {@code toActor}), except members who block the actor.
     */
    void fanOut(Conv c, String actor, String type, ObjectNode data, boolean toActor) throws SQLException {
        fanOut(c, actor, type, data, toActor, null);
    }

    /**
     * As above, in one transaction that first runs {@code first}; a {@code chat.message} withheld from a
     * member who blocks the sender is recorded as hidden from that member in the same transaction.
     */
    void fanOut(Conv c, String actor, String type, ObjectNode data, boolean toActor, Database.SessionWork<?> first)
            throws SQLException {
        List<String> hidden = new ArrayList<>(0);
        List<String> recipients = recipients(c, actor, toActor, "chat.message".equals(type) ? hidden : null);
        long seq = data.path("seq").asLong();
        events.appendAll(recipients, type, Json.write(data), s -> {
            if (first != null) {
                first.run(s);
            }
            for (String member : hidden) {
                ChatTables.hide(s, c.id, seq, member);
            }
            return null;
        });
    }

    /**
     * @return the members an event of the actor goes to: all but those who block the actor, then the
     *         actor if {@code toActor} (the others' frames leave first: they wait for it, the actor has
     *         its answer); those who block the actor are added to {@code blocking} unless it is null
     */
    private List<String> recipients(Conv c, String actor, boolean toActor, List<String> blocking)
            throws SQLException {
        BlockPolicy policy = blocks;
        List<String> recipients = new ArrayList<>(c.members.size());
        boolean actorIsMember = false;
        for (String member : c.members.keySet()) {
            if (member.equals(actor)) {
                actorIsMember = true;
            } else if (!policy.blocks(member, actor)) {
                recipients.add(member);
            } else if (blocking != null) {
                blocking.add(member);
            }
        }
        if (toActor && actorIsMember) {
            recipients.add(actor);
        }
        return recipients;
    }

    /**
     * A receipt goes to every member; a sender of messages it covers but that were withheld from the
     * receipt's user gets their seqs as {@code withheld}, so that those stay undelivered for the sender.
     */
    void receipt(Conv c, String userId, ObjectNode ev, Map<String, List<Long>> withheld) throws SQLException {
        if (withheld.isEmpty()) {
            fanOut(c, userId, "chat.receipt", ev, true);
            return;
        }
        List<String> plain = new ArrayList<>();
        for (String member : recipients(c, userId, true, null)) {
            List<Long> seqs = withheld.get(member);
            if (seqs == null) {
                plain.add(member);
            } else {
                ObjectNode own = ev.deepCopy();
                seqs.forEach(own.putArray("withheld")::add);
                events.append(member, "chat.receipt", Json.write(own));
            }
        }
        events.appendAll(plain, "chat.receipt", Json.write(ev), null);
    }

    /**
     * A {@code group.updated} to each recipient (docs/protocol.md 18.3): what changed — the title, the
     * members added (as conversation members), the ids removed, the members whose role changed — and,
     * only for the recipients new to the conversation, the whole conversation as they see it. Before,
     * every member got the whole member list on every change: 200 renames of a 256-member group stored
     * 860 MB of events (issue 17 item 4).
     *
     * @param change what the protocol calls the change ({@code created}, {@code renamed}...)
     * @param userIds the users the change is about
     * @param delta what changed
     * @param recipients who is told, in order
     */
    void groupEvent(Conv c, String actor, String change, List<String> userIds, GroupDelta delta,
            Iterable<String> recipients) throws SQLException {
        ObjectNode ev = Json.object().put("conversationId", c.id).put("change", change).put("actor", actor);
        ArrayNode a = ev.putArray("userIds");
        userIds.forEach(a::add);
        ev.put("title", c.title);
        if (!delta.added().isEmpty()) {
            ArrayNode added = ev.putArray("added");
            for (String u : delta.added()) {
                Member m = c.members.get(u);
                added.addObject().put("userId", u).put("role", m.role).put("deliveredUpTo", m.deliveredUpTo)
                        .put("readUpTo", m.readUpTo);
            }
        }
        if (!delta.removed().isEmpty()) {
            ArrayNode removed = ev.putArray("removed");
            delta.removed().forEach(removed::add);
        }
        if (!delta.roles().isEmpty()) {
            ArrayNode roles = ev.putArray("roles");
            delta.roles().forEach(u -> roles.addObject().put("userId", u).put("role", c.members.get(u).role));
        }
        List<String> told = new ArrayList<>();
        for (String r : recipients) {
            if (delta.newcomers().contains(r)) {
                ObjectNode own = ev.deepCopy();
                own.set("conversation", ChatWire.conversationJson(c, r));
                events.append(r, "group.updated", own);
            } else {
                told.add(r);
            }
        }
        events.appendAll(told, "group.updated", Json.write(ev), null);
    }

    /**
     * What a group change changed.
     *
     * @param added members who joined (they are in the conversation's members)
     * @param removed users who are no longer members
     * @param roles members whose role changed (they are in the conversation's members)
     * @param newcomers recipients who did not have the conversation: they get it whole
     */
    record GroupDelta(List<String> added, List<String> removed, List<String> roles, Set<String> newcomers) {
        static GroupDelta title() {
            return new GroupDelta(List.of(), List.of(), List.of(), Set.of());
        }
    }
}
