package org.m800.server.internal.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.wire.Json;

/**
 * Who of a conversation gets an event, and its appending to their event logs: every member but those
 * who block the actor. Every method is called with the conversation's monitor held, so each member's
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

    /** A {@code group.updated} to each recipient, with the conversation as that recipient sees it. */
    void groupEvent(Conv c, String actor, String change, List<String> userIds, Iterable<String> recipients)
            throws SQLException {
        ObjectNode ev = Json.object().put("conversationId", c.id).put("change", change).put("actor", actor);
        ArrayNode a = ev.putArray("userIds");
        userIds.forEach(a::add);
        List<String> to = new ArrayList<>();
        recipients.forEach(to::add);
        for (String r : to) {
            ev.set("conversation", ChatWire.conversationJson(c, r));
            events.append(r, "group.updated", ev);
        }
    }
}
