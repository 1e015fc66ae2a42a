package org.m800.server.internal.chat;

import static org.m800.server.internal.chat.Member.ADMIN;
import static org.m800.server.internal.chat.Member.MEMBER;
import static org.m800.server.internal.chat.Member.OWNER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * The rules of conversations (docs/protocol.md section "Chat"): direct conversations, groups with
 * their members and roles, and the list of a user's conversations. Every change of a group is made
 * under the conversation's monitor and told to its members as {@code group.updated}. Thread-safe.
 */
final class ConversationService {
    private final ChatTables tables;
    private final Conversations conversations;
    private final ChatFanOut fanOut;
    private final Clock clock;
    private final PerUserRate groupRate;

    /** @param groupsPerHour groups one user may create per hour (issue 17 item 9) */
    ConversationService(ChatTables tables, Conversations conversations, ChatFanOut fanOut, Clock clock,
            int groupsPerHour) {
        this.tables = tables;
        this.conversations = conversations;
        this.fanOut = fanOut;
        this.clock = clock;
        this.groupRate = new PerUserRate(clock, groupsPerHour, Duration.ofHours(1), "GROUP_RATE", "groups created");
    }

    ObjectNode direct(String userId, ObjectNode data) throws WireException, SQLException {
        String peer = ChatWire.userId(data);
        if (peer.equals(userId)) {
            throw WireException.invalid("userId", "BAD_FIELD", "a direct conversation needs another user than yourself");
        }
        requireUser(userId, peer, "userId");
        String a = userId.compareTo(peer) < 0 ? userId : peer;
        String b = a.equals(userId) ? peer : userId;
        String id = "d-" + sha256(a + "\n" + b).substring(0, 40);
        Conv c = conversations.load(id);
        if (c == null) {
            Map<String, String> roles = new LinkedHashMap<>();
            roles.put(a, MEMBER);
            roles.put(b, MEMBER);
            try {
                tables.createConversation(id, "direct", "", userId, clock.millis(), roles);
            } catch (SQLException e) {
                if (!Database.isDuplicateKey(e)) {
                    throw e;
                }
            }
            c = conversations.load(id);
        }
        synchronized (c) {
            return ChatWire.conversationJson(c, userId);
        }
    }

    ObjectNode createGroup(String userId, ObjectNode data) throws WireException, SQLException {
        String title = ChatWire.title(data);
        Set<String> invited = ChatWire.userIds(data, "members", 0);
        invited.remove(userId);
        if (invited.size() + 1 > ChatWire.MAX_GROUP_MEMBERS) {
            throw WireException.invalid("members", "TOO_LONG", "a group has at most " + ChatWire.MAX_GROUP_MEMBERS
                    + " members, the owner included");
        }
        for (String u : invited) {
            requireUser(userId, u, "members");
        }
        String id = "g-" + UUID.randomUUID();
        long now = clock.millis();
        groupRate.take(userId);
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(userId, OWNER);
        invited.forEach(u -> roles.put(u, MEMBER));
        try {
            tables.createConversation(id, "group", title, userId, now, roles);
        } catch (SQLException | RuntimeException e) {
            groupRate.giveBack(userId);
            throw e;
        }
        Conv c = conversations.load(id);
        synchronized (c) {
            fanOut.groupEvent(c, userId, "created", List.copyOf(invited), c.members.keySet());
            return ChatWire.conversationJson(c, userId);
        }
    }

    ObjectNode rename(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = conversations.group(ChatWire.conversationId(data));
        String title = ChatWire.title(data);
        synchronized (c) {
            c.requireRole(userId, "rename the group", OWNER, ADMIN);
            if (!title.equals(c.title)) {
                tables.setTitle(c.id, title);
                c.title = title;
                fanOut.groupEvent(c, userId, "renamed", List.of(), c.members.keySet());
            }
            return ChatWire.conversationJson(c, userId);
        }
    }

    ObjectNode invite(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = conversations.group(ChatWire.conversationId(data));
        Set<String> invited = ChatWire.userIds(data, "userIds", 1);
        for (String u : invited) {
            requireUser(userId, u, "userIds");
        }
        synchronized (c) {
            c.requireRole(userId, "invite", OWNER, ADMIN);
            invited.removeAll(c.members.keySet());
            if (c.members.size() + invited.size() > ChatWire.MAX_GROUP_MEMBERS) {
                throw WireException.invalid("userIds", "TOO_LONG", "a group has at most " + ChatWire.MAX_GROUP_MEMBERS
                        + " members; it has " + c.members.size());
            }
            if (!invited.isEmpty()) {
                long now = clock.millis();
                long joined = c.lastSeq;
                tables.addMembers(c.id, invited, MEMBER, joined, now);
                for (String u : invited) {
                    c.members.put(u, new Member(MEMBER, joined, now, joined, joined));
                }
                fanOut.groupEvent(c, userId, "invited", List.copyOf(invited), c.members.keySet());
            }
            return ChatWire.conversationJson(c, userId);
        }
    }

    ObjectNode remove(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = conversations.group(ChatWire.conversationId(data));
        String target = ChatWire.userId(data);
        synchronized (c) {
            Member actor = c.requireRole(userId, "remove members", OWNER, ADMIN);
            Member victim = c.members.get(target);
            if (victim == null) {
                throw WireException.of(WireCode.NOT_FOUND, "NOT_A_MEMBER", "user " + target
                        + " is not a member of conversation " + c.id);
            }
            if (target.equals(userId)) {
                throw WireException.invalid("userId", "BAD_FIELD", "use group.leave to leave a group");
            }
            if (OWNER.equals(victim.role) || (ADMIN.equals(actor.role) && ADMIN.equals(victim.role))) {
                throw WireException.unauthorized("NOT_ALLOWED", "a " + actor.role + " cannot remove a " + victim.role);
            }
            Set<String> recipients = new LinkedHashSet<>(c.members.keySet());
            tables.removeMember(c.id, target);
            c.members.remove(target);
            fanOut.groupEvent(c, userId, "removed", List.of(target), recipients);
            return ChatWire.conversationJson(c, userId);
        }
    }

    ObjectNode leave(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = conversations.group(ChatWire.conversationId(data));
        synchronized (c) {
            Member me = c.requireMember(userId);
            Set<String> recipients = new LinkedHashSet<>(c.members.keySet());
            String heir = OWNER.equals(me.role) ? heir(c, userId) : null;
            tables.leave(c.id, userId, heir);
            c.members.remove(userId);
            if (heir != null) {
                c.members.get(heir).role = OWNER;
            }
            fanOut.groupEvent(c, userId, "left", heir == null ? List.of(userId) : List.of(userId, heir), recipients);
            return Json.object().put("conversationId", c.id).put("left", true);
        }
    }

    /** @return who owns the group when its owner leaves: the first admin, else the first member, else null */
    private static String heir(Conv c, String owner) {
        for (Map.Entry<String, Member> e : c.members.entrySet()) {
            if (!e.getKey().equals(owner) && ADMIN.equals(e.getValue().role)) {
                return e.getKey();
            }
        }
        for (String u : c.members.keySet()) {
            if (!u.equals(owner)) {
                return u;
            }
        }
        return null;
    }

    ObjectNode role(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = conversations.group(ChatWire.conversationId(data));
        String target = ChatWire.userId(data);
        String role = Fields.requiredText(data, "role", 1, 8, null);
        if (!ADMIN.equals(role) && !MEMBER.equals(role)) {
            throw WireException.invalid("role", "BAD_FIELD", "role must be admin or member (ownership passes on leave)");
        }
        synchronized (c) {
            c.requireRole(userId, "change roles", OWNER);
            Member m = c.members.get(target);
            if (m == null) {
                throw WireException.of(WireCode.NOT_FOUND, "NOT_A_MEMBER", "user " + target
                        + " is not a member of conversation " + c.id);
            }
            if (OWNER.equals(m.role)) {
                throw WireException.invalid("userId", "BAD_FIELD", "the owner's role cannot be changed");
            }
            if (!role.equals(m.role)) {
                tables.setRole(c.id, target, role);
                m.role = role;
                fanOut.groupEvent(c, userId, "role", List.of(target), c.members.keySet());
            }
            return ChatWire.conversationJson(c, userId);
        }
    }

    ObjectNode list(String userId) throws SQLException {
        ObjectNode answer = Json.object();
        ArrayNode out = answer.putArray("conversations");
        for (String id : tables.memberships(userId)) {
            Conv c = conversations.load(id);
            if (c == null) {
                continue;
            }
            ObjectNode json;
            long from;
            synchronized (c) {
                Member me = c.members.get(userId);
                if (me == null) {
                    continue;
                }
                json = ChatWire.conversationJson(c, userId);
                from = Math.max(me.readUpTo, me.joinedSeq);
            }
            json.put("unread", tables.unread(c.id, userId, from));
            out.add(json);
        }
        return answer;
    }

    /** A user of the actor's carrier: users of other carriers are as unknown as users that do not exist. */
    private void requireUser(String actor, String userId, String field) throws WireException, SQLException {
        if (!tables.sameCarrier(actor, userId)) {
            throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_USER", "no user " + userId + " (" + field + ")");
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
