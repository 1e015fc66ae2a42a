package org.m800.sdk.contacts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.m800.sdk.contacts.ContactsFixture.contacts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.testing.ReferenceServerFixture;

/** Closing a client completes every future its contacts handed out, and bad input fails futures. */
public class ContactsCloseTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ContactsFixture fx = new ContactsFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    private static ErrorCode code(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof M800Exception m ? m.code() : null;
        } catch (TimeoutException e) {
            throw new AssertionError("a future of a closed client is still pending 20 s after close()");
        }
    }

    @Test
    public void closingTheClientFailsEveryPendingContactsFutureWithClosed() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        String bobId = ReferenceServerFixture.userId(bob);
        ContactManager aliceContacts = contacts(alice);
        // bad input fails the future; nothing throws (core API 1.2)
        assertEquals(ErrorCode.INVALID_ARGUMENT, code(aliceContacts.add(" ", null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, code(aliceContacts.fetchPresence(List.of())));

        fx.server().close(); // from now on requests wait in the offline queue
        waitFor(alice, ConnectionState.WAITING);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        pending.add(aliceContacts.add(bobId, "Bob"));
        pending.add(aliceContacts.sync());
        pending.add(aliceContacts.fetchPresence(List.of(bobId)));
        pending.add(aliceContacts.block(bobId));
        for (CompletableFuture<?> f : pending) {
            assertFalse("still waiting for the server", f.isDone());
        }
        alice.close();
        for (CompletableFuture<?> f : pending) {
            assertEquals(ErrorCode.CLOSED, code(f));
        }
        assertEquals("after close an operation fails at once", ErrorCode.CLOSED, code(aliceContacts.add(bobId, null)));
    }

    private static void waitFor(Client c, ConnectionState state) throws Exception {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        try (var s = c.require(ConnectService.class).onStateChange(e -> {
            if (e.newState() == state) {
                reached.complete(null);
            }
        })) {
            reached.get(20, TimeUnit.SECONDS);
        }
    }
}
