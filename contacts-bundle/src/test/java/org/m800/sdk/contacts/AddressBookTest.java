package org.m800.sdk.contacts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.contacts.ContactsFixture.contacts;
import static org.m800.sdk.contacts.ContactsFixture.failure;
import static org.m800.sdk.contacts.ContactsFixture.get;
import static org.m800.sdk.contacts.ContactsFixture.userId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** Address-book matching against users who verified their numbers on the real server. */
public class AddressBookTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ContactsFixture fx = new ContactsFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void mixedFormatsDuplicatesAndInvalidEntries() throws Exception {
        Client alice = fx.newUserWithNumber("alice", "+447400111222");
        Client bob = fx.newUserWithNumber("bob", "+447400123456");
        Client carol = fx.newUserWithNumber("carol", "+14155550132");
        fx.newUser("dave");

        List<String> book = Arrays.asList(
                "07400 123456",          // bob, national (GB)
                "+44 7400 123456",       // bob again, international with spaces
                "0044-7400-123-456",     // bob again, with the international prefix
                "+1 (415) 555-0132",     // carol
                "tel:+1-415-555-0132",   // carol again, as a URI
                "07400 111222",          // alice herself: not a match for herself
                "+1 202 555 0100",       // nobody's
                "not a number",
                "12",
                "+999 123 456",
                "");
        MatchResult result = get(contacts(alice).matchAddressBook(book, "GB"));
        assertEquals(result.toString(), 2, result.matches().size());
        AddressBookMatch bobs = result.matches().stream().filter(m -> m.userId().equals(userId(bob))).findFirst()
                .orElseThrow();
        assertEquals("+447400123456", bobs.phoneNumber());
        assertEquals("bob", bobs.username());
        assertEquals(List.of("07400 123456", "+44 7400 123456", "0044-7400-123-456"), bobs.inputs());
        AddressBookMatch carols = result.matches().stream().filter(m -> m.userId().equals(userId(carol))).findFirst()
                .orElseThrow();
        assertEquals(List.of("+1 (415) 555-0132", "tel:+1-415-555-0132"), carols.inputs());
        assertEquals(List.of("not a number", "12", "+999 123 456", ""), new ArrayList<>(result.invalid().keySet()));
        assertTrue(result.invalid().get("+999 123 456"), result.invalid().get("+999 123 456").contains("country code"));
        assertEquals("distinct valid numbers sent", 4, result.numbersChecked());

        // without a default region only international numbers are understood
        MatchResult international = get(contacts(alice).matchAddressBook(book, null));
        assertTrue(international.invalid().get("07400 123456"),
                international.invalid().get("07400 123456").contains("no default region"));
        assertEquals(2, international.matches().size());
        assertEquals("+447400123456", contacts(alice).normalize("07400 123456", "gb"));
    }

    @Test
    public void aBatchOfTenThousandWorksAndALargerOneIsRefused() throws Exception {
        Client alice = fx.newUserWithNumber("alice", "+447400111222");
        Client bob = fx.newUserWithNumber("bob", "+447400123456");
        List<String> book = new ArrayList<>();
        for (int i = 0; i < ContactManager.MAX_MATCH_NUMBERS - 1; i++) {
            book.add(String.format("07400 2%05d", i));
        }
        book.add("07400 123456");
        MatchResult result = get(contacts(alice).matchAddressBook(book, "GB"));
        assertEquals(result.invalid().toString(), 0, result.invalid().size());
        assertEquals(ContactManager.MAX_MATCH_NUMBERS, result.numbersChecked());
        assertEquals(1, result.matches().size());
        assertEquals(userId(bob), result.matches().get(0).userId());

        book.add("07400 999999");
        M800Exception tooMany = failure(contacts(alice).matchAddressBook(book, "GB"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, tooMany.code());
        assertTrue(tooMany.getMessage(), tooMany.getMessage().contains("at most 10000"));
        M800Exception region = failure(contacts(alice).matchAddressBook(List.of("07400 123456"), "XX"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, region.code());
        assertTrue(region.getMessage(), region.getMessage().contains("defaultRegion"));
        assertEquals(ConnectionState.CONNECTED, alice.require(ConnectService.class).state());
        // no default region is configured in the tests: the one-argument form takes international numbers
        assertTrue(contacts(alice).defaultRegion().isEmpty());
        assertEquals(1, get(contacts(alice).matchAddressBook(List.of("+44 7400 123456"))).matches().size());
    }
}
