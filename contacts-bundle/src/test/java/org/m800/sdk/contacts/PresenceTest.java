package org.m800.sdk.contacts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.contacts.ContactsFixture.contacts;
import static org.m800.sdk.contacts.ContactsFixture.get;
import static org.m800.sdk.contacts.ContactsFixture.userId;

import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;

/** Presence between clients of the real server, including a connection that dies without a goodbye. */
public class PresenceTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ContactsFixture fx = new ContactsFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void changesReachSubscribersAndACutConnectionGoesOfflineAfterTheIdleTimeout() throws Exception {
        Client alice = fx.newUser("alice");
        Client bobSetup = fx.newUser("bob");
        String bobId = userId(bobSetup);
        get(bobSetup.require(AccountManager.class).logOut());
        bobSetup.close();
        Recorder r = new Recorder();
        contacts(alice).addListener(r);
        Map<String, Presence> now = get(contacts(alice).subscribePresence(List.of(bobId)));
        assertEquals(PresenceState.OFFLINE, now.get(bobId).state());

        try (BlackHoleProxy proxy = new BlackHoleProxy(fx.server().httpUri())) {
            Client bob = fx.open("bob-phone", fx.newDataDirectory(), proxy.imUri());
            get(bob.require(AccountManager.class).logIn("bob", "bob-password"));
            r.await("bob online", x -> x.presence(bobId, PresenceState.ONLINE) != null);
            assertEquals(0, r.presence(bobId, PresenceState.ONLINE).lastSeen());

            get(contacts(bob).setStatusText("in a meeting"));
            Presence own = get(contacts(bob).setPresence(PresenceState.AWAY));
            assertEquals(PresenceState.AWAY, own.state());
            r.await("bob away with his text", x -> {
                Presence p = x.presence(bobId, PresenceState.AWAY);
                return p != null && p.text().equals("in a meeting");
            });
            assertEquals("in a meeting", contacts(alice).presence(bobId).orElseThrow().text());

            // the network dies under bob's device: no close frame, no reset; the server notices the silence
            long cutAt = System.currentTimeMillis();
            proxy.cut();
            r.await("bob offline after the idle timeout", x -> {
                Presence p = x.presence(bobId, PresenceState.OFFLINE);
                return p != null && p.lastSeen() >= cutAt;
            });
            Presence gone = r.presence(bobId, PresenceState.OFFLINE);
            assertTrue("last seen " + gone.lastSeen() + " is after the cut " + cutAt, gone.lastSeen() >= cutAt);
            assertEquals("in a meeting", gone.text());
            bob.close();
        }

        // bob comes back on a working connection, hides his last seen and leaves with a goodbye
        Client bob = fx.open("bob-laptop", fx.newDataDirectory());
        int before;
        synchronized (r) {
            before = r.presences.size();
        }
        get(bob.require(AccountManager.class).logIn("bob", "bob-password"));
        r.await("bob online again", x -> x.presences.size() > before
                && x.presences.get(x.presences.size() - 1).state() == PresenceState.ONLINE);
        get(contacts(bob).setLastSeenVisible(false));
        int online;
        synchronized (r) {
            online = r.presences.size();
        }
        bob.close();
        r.await("bob offline, last seen hidden", x -> x.presences.size() > online
                && x.presences.get(x.presences.size() - 1).state() == PresenceState.OFFLINE);
        Presence hidden = r.presences.get(r.presences.size() - 1);
        assertEquals(0, hidden.lastSeen());
        assertNotNull(get(contacts(alice).fetchPresence(List.of(bobId))).get(bobId));
        assertEquals(0, get(contacts(alice).fetchPresence(List.of(bobId))).get(bobId).lastSeen());
    }

    @Test
    public void aBlockedSubscriberSeesTheBlockerOffline() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        get(contacts(bob).subscribePresence(List.of(userId(alice))));
        assertEquals(PresenceState.ONLINE, get(contacts(bob).fetchPresence(List.of(userId(alice)))).get(userId(alice))
                .state());
        Recorder r = new Recorder();
        contacts(bob).addListener(r);
        get(contacts(alice).block(userId(bob)));
        r.await("alice looks offline to bob", x -> x.presence(userId(alice), PresenceState.OFFLINE) != null);
        assertEquals(PresenceState.OFFLINE, get(contacts(bob).fetchPresence(List.of(userId(alice))))
                .get(userId(alice)).state());
        get(contacts(alice).unblock(userId(bob)));
        r.await("alice online again for bob", x -> x.presences.size() > 1
                && x.presences.get(x.presences.size() - 1).state() == PresenceState.ONLINE);
    }

    @Test
    public void visibilityContactsShowsThePresenceToContactsOnlyAndNobodyToNoOne() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Client carol = fx.newUser("carol");
        String aliceId = userId(alice);
        get(contacts(alice).add(userId(bob), null));
        get(contacts(alice).setPresenceVisibility(PresenceVisibility.CONTACTS));
        assertEquals(PresenceState.ONLINE, get(contacts(bob).fetchPresence(List.of(aliceId))).get(aliceId).state());
        assertEquals(PresenceState.OFFLINE, get(contacts(carol).fetchPresence(List.of(aliceId))).get(aliceId).state());

        Recorder r = new Recorder();
        contacts(bob).addListener(r);
        get(contacts(bob).subscribePresence(List.of(aliceId)));
        get(contacts(alice).setPresenceVisibility(PresenceVisibility.NOBODY));
        r.await("alice hidden from bob", x -> x.presence(aliceId, PresenceState.OFFLINE) != null);
        assertEquals(PresenceState.OFFLINE, get(contacts(bob).fetchPresence(List.of(aliceId))).get(aliceId).state());

        get(contacts(alice).setPresenceVisibility(PresenceVisibility.EVERYONE));
        assertEquals(PresenceState.ONLINE, get(contacts(carol).fetchPresence(List.of(aliceId))).get(aliceId).state());
        r.await("alice visible to bob again", x -> x.presences.size() > 1
                && x.presences.get(x.presences.size() - 1).state() == PresenceState.ONLINE);
    }

    @Test
    public void aNullVisibilityFailsTheFuture() throws Exception {
        Client alice = fx.newUser("alice");
        assertEquals(org.m800.sdk.core.ErrorCode.INVALID_ARGUMENT, org.m800.sdk.testing.ReferenceServerFixture
                .failure(contacts(alice).setPresenceVisibility(null)).code());
    }
}
