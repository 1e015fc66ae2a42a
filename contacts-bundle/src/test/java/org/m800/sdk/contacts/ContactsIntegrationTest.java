package org.m800.sdk.contacts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.contacts.ContactsFixture.contacts;
import static org.m800.sdk.contacts.ContactsFixture.failure;
import static org.m800.sdk.contacts.ContactsFixture.get;
import static org.m800.sdk.contacts.ContactsFixture.userId;

import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** Contacts of users with several devices against the real reference server. */
public class ContactsIntegrationTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ContactsFixture fx = new ContactsFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void addAliasAndRemoveReachTheUsersOtherDevice() throws Exception {
        Client phone = fx.newUser("alice");
        Client laptop = fx.newDevice("alice-laptop", "alice");
        Client bob = fx.newUser("bob");
        Client carol = fx.newUser("carol");
        Recorder onPhone = new Recorder();
        Recorder onLaptop = new Recorder();
        contacts(phone).addListener(onPhone);
        contacts(laptop).addListener(onLaptop);
        String bobId = userId(bob);
        String carolId = userId(carol);

        Contact added = get(contacts(phone).add(bobId, "Bobby"));
        assertEquals("bob", added.username());
        assertEquals("Bobby", added.name());
        onLaptop.await("bob added on the laptop", r -> r.hasContact(ContactEvent.Kind.ADDED, bobId,
                c -> "Bobby".equals(c.alias())));
        assertEquals(List.of(added), contacts(laptop).contacts());
        assertTrue("listeners run on SDK threads", onLaptop.threads.stream().noneMatch(t -> t.equals("main")));

        get(contacts(laptop).setAlias(bobId, "Bob from work"));
        onPhone.await("the alias on the phone", r -> r.hasContact(ContactEvent.Kind.UPDATED, bobId,
                c -> "Bob from work".equals(c.alias())));
        assertEquals("Bob from work", contacts(phone).contact(bobId).orElseThrow().alias());
        get(contacts(laptop).setAlias(bobId, null));
        onPhone.await("the alias cleared", r -> r.hasContact(ContactEvent.Kind.UPDATED, bobId, c -> c.alias() == null));
        assertEquals("bob", contacts(phone).contact(bobId).orElseThrow().name());

        get(contacts(laptop).add(carolId, null));
        get(contacts(phone).remove(bobId));
        onLaptop.await("bob removed on the laptop", r -> r.hasContact(ContactEvent.Kind.REMOVED, bobId, c -> true));
        onLaptop.await("carol", r -> r.hasContact(ContactEvent.Kind.ADDED, carolId, c -> true));
        assertEquals(List.of(carolId), contacts(laptop).contacts().stream().map(Contact::userId).toList());
        assertEquals(List.of(carolId), contacts(phone).contacts().stream().map(Contact::userId).toList());
        // each device heard each change once
        assertEquals(1, onPhone.contacts.stream().filter(e -> e.kind() == ContactEvent.Kind.ADDED
                && e.contact().userId().equals(bobId)).count());
    }

    @Test
    public void theLocalCopySurvivesARestartAndIsRefreshedIncrementally() throws Exception {
        Client phone = fx.newUser("alice");
        Path laptopData = fx.newDataDirectory();
        Client laptop = fx.open("alice-laptop", laptopData);
        get(laptop.require(AccountManager.class).logIn("alice", "alice-password"));
        Client bob = fx.newUser("bob");
        Client carol = fx.newUser("carol");
        Recorder onLaptop = new Recorder();
        contacts(laptop).addListener(onLaptop);
        get(contacts(phone).add(userId(bob), "Bobby"));
        onLaptop.await("bob on the laptop", r -> r.hasContact(ContactEvent.Kind.ADDED, userId(bob), c -> true));
        laptop.close();

        // changes while the laptop is off: a new contact, and bob renames himself
        get(contacts(phone).add(userId(carol), null));
        get(bob.require(AccountManager.class).updateProfile("Robert", null));

        Client again = fx.open("alice-laptop-again", laptopData);
        // the copy is there at once, from the client's storage
        assertEquals("Bobby", contacts(again).contact(userId(bob)).orElseThrow().alias());
        Recorder r = new Recorder();
        contacts(again).addListener(r);
        get(contacts(again).sync());
        assertEquals(2, contacts(again).contacts().size());
        assertEquals("Robert", contacts(again).contact(userId(bob)).orElseThrow().displayName());
        assertEquals("Bobby", contacts(again).contact(userId(bob)).orElseThrow().name());
        assertTrue(contacts(again).contact(userId(carol)).isPresent());
    }

    @Test
    public void badInputIsRefusedClearlyAndDisturbsNothing() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        ContactManager c = contacts(alice);
        get(c.add(userId(bob), "Bobby"));

        M800Exception self = failure(c.add(userId(alice), null));
        assertEquals(ErrorCode.INVALID_ARGUMENT, self.code());
        assertTrue(self.getMessage(), self.getMessage().contains("yourself"));
        M800Exception unknown = failure(c.add("u-nobody", null));
        assertEquals(ErrorCode.NOT_FOUND, unknown.code());
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("NO_SUCH_USER"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.add(" ", null)).code());
        M800Exception longAlias = failure(c.add(userId(bob), "x".repeat(ContactManager.MAX_ALIAS_CHARS + 1)));
        assertTrue(longAlias.getMessage(), longAlias.getMessage().contains("alias"));
        M800Exception notContact = failure(c.remove("u-nobody"));
        assertEquals(ErrorCode.NOT_FOUND, notContact.code());
        assertTrue(notContact.getMessage(), notContact.getMessage().contains("NOT_A_CONTACT"));
        assertEquals(ErrorCode.NOT_FOUND, failure(c.setAlias("u-nobody", "x")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.block(userId(alice))).code());
        assertEquals(ErrorCode.NOT_FOUND, failure(c.block("u-nobody")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.setPresence(PresenceState.OFFLINE)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.setStatusText("x".repeat(201))).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.subscribePresence(List.of(userId(alice)))).code());
        assertEquals(ErrorCode.NOT_FOUND, failure(c.subscribePresence(List.of("u-nobody"))).code());

        // nothing else disturbed: the list is as it was, the connection is up, the next calls work
        assertEquals(List.of("Bobby"), c.contacts().stream().map(Contact::alias).toList());
        assertEquals(ConnectionState.CONNECTED, alice.require(ConnectService.class).state());
        assertEquals("Bob", get(c.setAlias(userId(bob), "Bob")).alias());
        assertEquals(List.of("Bob"), get(c.sync()).stream().map(Contact::alias).toList());
        assertFalse(c.isBlocked(userId(bob)));
        assertNull(c.contact(userId(alice)).orElse(null));
    }
}
