package org.m800.sdk.contacts.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.m800.sdk.contacts.AddressBookMatch;
import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.core.WireFields;

/**
 * The server's contacts objects ({@code docs/protocol.md}) read once into the API's records; a missing
 * or wrong field fails with PROTOCOL. Also the stored form of the copy.
 */
final class ContactsWire {
    private ContactsWire() {
    }

    static Contact contact(Map<String, Object> m) {
        WireFields f = new WireFields(m, "contact");
        return new Contact(f.text("userId"), f.text("username", null), f.text("displayName", null),
                f.text("alias", null), f.numOr0("addedAt"), f.numOr0("updatedAt"));
    }

    static Map<String, Object> toMap(Contact c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", c.userId());
        m.put("username", c.username());
        m.put("displayName", c.displayName());
        m.put("alias", c.alias());
        m.put("addedAt", c.addedAt());
        m.put("updatedAt", c.updatedAt());
        return m;
    }

    static BlockedUser blockedUser(Map<String, Object> m) {
        WireFields f = new WireFields(m, "blocked user");
        return new BlockedUser(f.text("userId"), f.text("username", null), f.text("displayName", null),
                f.numOr0("blockedAt"));
    }

    static Map<String, Object> toMap(BlockedUser b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", b.userId());
        m.put("username", b.username());
        m.put("displayName", b.displayName());
        m.put("blockedAt", b.blockedAt());
        return m;
    }

    static Presence presence(Map<String, Object> m) {
        WireFields f = new WireFields(m, "presence");
        String s = f.text("state", "offline");
        PresenceState state = switch (s) {
            case "online" -> PresenceState.ONLINE;
            case "away" -> PresenceState.AWAY;
            case "offline" -> PresenceState.OFFLINE;
            default -> throw WireFields.protocol("presence: unknown state '" + s + "'");
        };
        return new Presence(f.text("userId"), state, f.text("text", ""), f.numOr0("lastSeen"));
    }

    /** {@code contact.updated}: a contact changed or was removed. */
    record ContactChange(boolean removed, String userId, long updatedAt, Contact contact) {
        static ContactChange of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "contact.updated");
            if ("removed".equals(f.text("change", null))) {
                return new ContactChange(true, f.text("userId"), f.numOr0("updatedAt"), null);
            }
            Contact c = ContactsWire.contact(f.object("contact"));
            return new ContactChange(false, c.userId(), c.updatedAt(), c);
        }
    }

    /** {@code block.updated} and the answers to {@code block.add} / {@code block.remove}. */
    record BlockChange(String userId, boolean blocked, BlockedUser user) {
        static BlockChange of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "block change");
            return new BlockChange(f.text("userId"), f.flag("blocked"), f.flag("blocked") ? blockedUser(data) : null);
        }
    }

    /** A removal in an incremental contact list. */
    record Removal(String userId, long updatedAt) {
    }

    /** The answer to {@code contact.list}. */
    record ContactList(boolean full, List<Contact> contacts, List<Removal> removed, String cursor) {
        static ContactList of(Map<String, Object> data) {
            WireFields f = new WireFields(data, "contact.list answer");
            List<Contact> contacts = new ArrayList<>();
            f.list("contacts").forEach(o -> contacts.add(contact(object(o, "contact"))));
            List<Removal> removed = new ArrayList<>();
            for (Object o : f.list("removed")) {
                WireFields r = new WireFields(object(o, "removal"), "removal");
                removed.add(new Removal(r.text("userId"), r.numOr0("updatedAt")));
            }
            return new ContactList(f.flag("full"), contacts, removed, f.text("cursor", null));
        }
    }

    static List<BlockedUser> blockList(Map<String, Object> data) {
        List<BlockedUser> out = new ArrayList<>();
        new WireFields(data, "block.list answer").list("blocked").forEach(o -> out.add(blockedUser(object(o,
                "blocked user"))));
        return out;
    }

    static List<Presence> presences(Map<String, Object> data) {
        List<Presence> out = new ArrayList<>();
        new WireFields(data, "presence answer").list("presences").forEach(o -> out.add(presence(object(o,
                "presence"))));
        return out;
    }

    /** @param inputs the address-book entries by the E.164 number they normalise to */
    static List<AddressBookMatch> matches(Map<String, Object> data, Map<String, List<String>> inputs) {
        List<AddressBookMatch> out = new ArrayList<>();
        for (Object o : new WireFields(data, "contact.match answer").list("matches")) {
            WireFields m = new WireFields(object(o, "match"), "match");
            String number = m.text("phoneNumber");
            out.add(new AddressBookMatch(number, inputs.getOrDefault(number, List.of()), m.text("userId"),
                    m.text("username", null), m.text("displayName", null)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw WireFields.protocol(what + " is not an object");
        }
        return (Map<String, Object>) m;
    }
}
