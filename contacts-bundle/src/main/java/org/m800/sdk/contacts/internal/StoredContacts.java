package org.m800.sdk.contacts.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;

/**
 * The stored copy of a user's contacts (key {@code contacts.<hash>} in {@code service.storage}): JSON
 * {@code {"v":1, "cursor", "contacts":[...], "blocked":[...]}}.
 *
 * @param cursor the server's cursor for the next incremental list, or null
 */
record StoredContacts(String cursor, List<Contact> contacts, List<BlockedUser> blocked) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws RuntimeException if the bytes are not a stored copy */
    @SuppressWarnings("unchecked")
    static StoredContacts read(byte[] bytes) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(bytes, Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        List<Contact> contacts = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("contacts", List.of())) {
            contacts.add(ContactsWire.contact((Map<String, Object>) o));
        }
        List<BlockedUser> blocked = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("blocked", List.of())) {
            blocked.add(ContactsWire.blockedUser((Map<String, Object>) o));
        }
        return new StoredContacts((String) m.get("cursor"), contacts, blocked);
    }

    byte[] toBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("cursor", cursor);
        List<Object> cs = new ArrayList<>();
        contacts.forEach(c -> cs.add(ContactsWire.toMap(c)));
        m.put("contacts", cs);
        List<Object> bs = new ArrayList<>();
        blocked.forEach(b -> bs.add(ContactsWire.toMap(b)));
        m.put("blocked", bs);
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
