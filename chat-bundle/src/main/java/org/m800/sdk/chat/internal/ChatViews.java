package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.ConversationKind;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Member;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.chat.Role;

/** The API's immutable views of what the {@link ChatStore} keeps. Callers hold the store's monitor. */
final class ChatViews {
    private ChatViews() {
    }

    static Message message(String me, StoredConversation c, StoredMessage m) {
        boolean outgoing = m.sender.equals(me);
        MessageState state;
        if (m.failure != null) {
            state = MessageState.FAILED;
        } else if (m.seq == 0) {
            state = MessageState.SENDING;
        } else if (!outgoing) {
            state = MessageState.RECEIVED;
        } else if (c != null && !m.withheldFrom.isEmpty()) {
            state = stateWithout(c, m, me);
        } else if (c != null && m.seq <= c.othersRead) {
            state = MessageState.READ;
        } else if (c != null && m.seq <= c.othersDelivered) {
            state = MessageState.DELIVERED;
        } else {
            state = MessageState.SENT;
        }
        return new Message(m.id, m.conv, m.sender, m.seq, m.ts, m.deleted() ? new MessageContent.Deleted()
                : Codec.fromWire(m.content), state, outgoing, m.editedAt, m.reactions, m.failure);
    }

    /** The state of an own message from the marks of the members it reached (not those it was withheld from). */
    private static MessageState stateWithout(StoredConversation c, StoredMessage m, String me) {
        MessageState state = MessageState.SENT;
        for (StoredMember member : c.members) {
            if (member.userId().equals(me) || m.withheldFrom.contains(member.userId())) {
                continue;
            }
            if (m.seq <= member.readUpTo()) {
                return MessageState.READ;
            }
            if (m.seq <= member.deliveredUpTo()) {
                state = MessageState.DELIVERED;
            }
        }
        return state;
    }

    static Conversation conversation(String me, StoredConversation c) {
        List<Member> members = new ArrayList<>();
        for (StoredMember m : c.members) {
            members.add(new Member(m.userId(), role(m.role()), m.deliveredUpTo(), m.readUpTo()));
        }
        members.sort(Comparator.comparingInt(m -> m.role().ordinal()));
        Map.Entry<Long, StoredMessage> last = c.bySeq.lastEntry();
        return new Conversation(c.id, "group".equals(c.kind) ? ConversationKind.GROUP : ConversationKind.DIRECT,
                c.title, List.copyOf(members), Math.max(c.lastSeq, last == null ? 0 : last.getKey()), c.myRead,
                unread(me, c), c.member, last == null ? null : message(me, c, last.getValue()));
    }

    static int unread(String me, StoredConversation c) {
        int n = 0;
        for (StoredMessage m : c.bySeq.tailMap(Math.max(c.myRead, c.joinedSeq), false).values()) {
            if (!m.sender.equals(me) && !m.deleted()) {
                n++;
            }
        }
        return n;
    }

    private static Role role(String r) {
        return switch (r) {
            case "owner" -> Role.OWNER;
            case "admin" -> Role.ADMIN;
            default -> Role.MEMBER;
        };
    }

    /**
     * A history page from the conversation's local messages, if they hold the whole page.
     *
     * @param local gets the page's messages found locally (also when incomplete)
     * @return the page, or empty when the server must be asked
     */
    static Optional<HistoryPage> localPage(String me, StoredConversation c,
            long beforeSeq, int limit, List<Message> local) {
        if (beforeSeq == 0) {
            List<StoredMessage> unsent = new ArrayList<>(c.unsent.values());
            for (int i = unsent.size() - 1; i >= 0 && local.size() < limit; i--) {
                local.add(message(me, c, unsent.get(i)));
            }
        }
        long top = beforeSeq == 0 ? Math.max(c.lastSeq, c.bySeq.isEmpty() ? 0 : c.bySeq.lastKey()) : beforeSeq - 1;
        long expected = top;
        boolean complete = true;
        for (StoredMessage m : c.bySeq.headMap(top, true).descendingMap().values()) {
            if (local.size() >= limit) {
                break;
            }
            if (m.seq != expected) {
                complete = false;
                break;
            }
            local.add(message(me, c, m));
            expected--;
        }
        boolean beginning = expected <= c.joinedSeq;
        if (complete && (local.size() >= limit || beginning)) {
            return Optional.of(new HistoryPage(List.copyOf(local), !beginning));
        }
        return Optional.empty();
    }
}
