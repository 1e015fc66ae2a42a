package org.m800.sdk.contacts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.contacts.ContactsFixture.contacts;
import static org.m800.sdk.contacts.ContactsFixture.failure;
import static org.m800.sdk.contacts.ContactsFixture.get;
import static org.m800.sdk.contacts.ContactsFixture.userId;

import java.util.List;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** ContactManager's finding people against the real server: by username, by display name if allowed. */
public class FindingPeopleTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ContactsFixture fx = new ContactsFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void usersAreFoundByUsernameAndByDisplayNamePrefixOnlyIfTheyAllowIt() throws Exception {
        Client alice = fx.newUser("alice");
        Client alan = fx.newUser("alan");
        get(alan.require(AccountManager.class).updateProfile("Alan Turing", null));
        ContactManager a = contacts(alice);

        UserSummary found = get(a.findUser("Alan")).orElseThrow();
        assertEquals(new UserSummary(userId(alan), "alan", "Alan Turing"), found);
        assertEquals(Optional.empty(), get(a.findUser("nobody")));
        assertEquals("the user is not found by themself", Optional.empty(), get(a.findUser("alice")));

        assertEquals(List.of(), get(a.searchUsers("alan t", 10)));
        assertTrue(get(contacts(alan).setDiscoverable(true)));
        assertEquals(List.of(found), get(a.searchUsers("ALAN T", 10)));
        assertFalse(get(contacts(alan).setDiscoverable(false)));
        assertEquals(List.of(), get(a.searchUsers("alan", 10)));

        // found users are users like any other: a contact by the id found
        assertEquals("Alan Turing", get(a.add(found.userId(), null)).displayName());
    }

    @Test
    public void badInputFailsTheFutureBeforeAnythingIsSent() throws Exception {
        ContactManager a = contacts(fx.newUser("alice"));
        assertInvalid("not a username", a.findUser("Bad Name!"));
        assertInvalid("username is required", a.findUser(" "));
        assertInvalid("at least 2 characters", a.searchUsers(" a ", 10));
        assertInvalid("limit must be 1 to 50", a.searchUsers("al", 0));
        assertInvalid("limit must be 1 to 50", a.searchUsers("al", 51));
        ContactManager notLoggedIn = contacts(fx.open("nobody", fx.newDataDirectory()));
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(notLoggedIn.findUser("alice")).code());
    }

    private static void assertInvalid(String text, java.util.concurrent.CompletableFuture<?> f) throws Exception {
        M800Exception e = failure(f);
        assertEquals(e.toString(), ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(text));
    }
}
