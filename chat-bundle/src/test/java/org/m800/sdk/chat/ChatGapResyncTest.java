package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.get;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.testing.ReferenceServerFixture;
import org.m800.sdk.testing.TcpProxy;
import org.m800.server.ReferenceServer;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;

/**
 * Issue 17 item 4: a client that was away longer than the server's event retention comes back
 * consistent. The server trims the user's log (its real trim, on the server's own database) while
 * bob's connection is held down by a proxy; on reconnecting, the replay starts beyond bob's cursor
 * (the server's {@code gap}), and bob's chat fetches what the trimmed events carried: a rename, a
 * removal of another member, his own removal from a group, a new group, an edit and new messages.
 * Group changes in the same test arrive as deltas (what changed), applied to the stored conversation.
 */
public class ChatGapResyncTest {
    private static final long WAIT_MS = 30_000;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    private final String jdbcUrl = "jdbc:h2:mem:gap-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private ReferenceServer server;
    private TcpProxy proxy;

    @Before
    public void startServer() throws Exception {
        server = ReferenceServer.builder().port(0).dataDirectory(temp.newFolder("gap-server").toPath())
                .jdbcUrl(jdbcUrl).build().start();
        proxy = new TcpProxy(server.imUri(), 17);
    }

    @After
    public void stopServer() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
        // the in-memory database outlives the server (DB_CLOSE_DELAY=-1): drop it
        Database db = new Database(jdbcUrl, "", "");
        try (var c = db.connection()) {
            c.createStatement().execute("SHUTDOWN");
        } finally {
            db.close();
        }
    }

    private Client user(String name, boolean throughProxy) throws Exception {
        String im = throughProxy ? "ws://127.0.0.1:" + proxy.port() + ReferenceServer.IM_PATH
                : server.imUri().toString();
        ClientConfig config = ClientConfig.builder().clientId(name).imServers(List.of(java.net.URI.create(im)))
                .signUpServers(List.of(server.httpUri())).dataDirectory(fx.newDataDirectory())
                .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(200)).build();
        Client c = fx.open(ReferenceServerFixture.DEV_APP, config, ChatManager.MODULE);
        get(c.require(AccountManager.class).signUp(name, name + "-password", null));
        return c;
    }

    /** Waits (re-checking) until the condition holds; fails with the message after {@link #WAIT_MS}. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting until " + what, System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }

    private static Optional<Conversation> conv(Client c, String id) {
        return chat(c).conversation(id);
    }

    private static boolean hasMembers(Client c, String convId, String... userIds) {
        return conv(c, convId).map(x -> x.members().stream().map(Member::userId).sorted().toList()
                .equals(java.util.Arrays.stream(userIds).sorted().toList())).orElse(false);
    }

    @Test
    public void aClientAwayBeyondTheRetentionComesBackConsistent() throws Exception {
        Client alice = user("alice", false);
        Client bob = user("bob", true);
        Client carol = user("carol", false);
        String a = ReferenceServerFixture.userId(alice);
        String b = ReferenceServerFixture.userId(bob);
        String c = ReferenceServerFixture.userId(carol);

        String group = get(chat(alice).createGroup("before", List.of(b, c))).id();
        String leaving = get(chat(alice).createGroup("bob is removed", List.of(b))).id();
        String direct = get(chat(alice).openDirect(b)).id();
        Message first = get(chat(alice).sendText(direct, "first").accepted());
        await("bob has both groups and the first message", () -> hasMembers(bob, group, a, b, c)
                && conv(bob, leaving).isPresent() && chat(bob).message(a, first.id()).isPresent());
        // a delta (no member list) applied to the stored group: alice makes carol an admin
        get(chat(alice).setRole(group, c, Role.ADMIN));
        await("bob sees carol as admin", () -> conv(bob, group).flatMap(x -> x.member(c))
                .map(m -> m.role() == Role.ADMIN).orElse(false));

        // bob goes away: every connection through the proxy is cut at once, and so is every new one
        ConnectService bobConnection = bob.require(ConnectService.class);
        proxy.cut(Integer.MAX_VALUE, 0, 0);
        proxy.cutAll();
        await("bob is disconnected", () -> bobConnection.state() != ConnectionState.CONNECTED);

        get(chat(alice).rename(group, "after"));
        get(chat(alice).removeMember(group, c));
        get(chat(alice).removeMember(leaving, b));
        String newGroup = get(chat(alice).createGroup("new", List.of(b))).id();
        get(chat(alice).edit(direct, first.id(), "first, edited"));
        Message last = null;
        for (int i = 0; i < 3; i++) {
            last = get(chat(alice).sendText(direct, "while away " + i).accepted());
        }

        // the retention passes: every user's log keeps only its newest event (the server's own trim)
        Database db = new Database(jdbcUrl, "", "");
        try {
            assertTrue(new EventLog(db, Clock.systemUTC()).trim(System.currentTimeMillis() + 60_000, 1) > 0);
        } finally {
            db.close();
        }

        proxy.cut(0, 0, 0);
        Message lastSent = last;
        await("bob is consistent again", () -> conv(bob, group).map(x -> x.title().equals("after")).orElse(false)
                && hasMembers(bob, group, a, b)
                && conv(bob, leaving).map(x -> !x.member()).orElse(false)
                && conv(bob, newGroup).map(Conversation::member).orElse(false)
                && chat(bob).message(a, lastSent.id()).isPresent()
                && "first, edited".equals(chat(bob).message(a, first.id()).map(Message::text).orElse(null)));
        assertEquals(4, get(chat(bob).history(direct, Long.MAX_VALUE, 10)).messages().size());
        assertFalse(conv(bob, leaving).orElseThrow().member());
    }
}
