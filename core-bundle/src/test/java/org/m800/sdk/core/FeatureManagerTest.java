package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.core.ServerFixture.awaitState;
import static org.m800.sdk.core.ServerFixture.get;
import static org.m800.sdk.testing.ReferenceServerFixture.failure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/** {@link FeatureManager} in a real client against the reference server. */
public class FeatureManagerTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ServerFixture fx = new ServerFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    /** A manager that records its hooks and offers the base's tools as methods. */
    static final class ProbeManager extends FeatureManager {
        final BlockingQueue<String> hooks = new LinkedBlockingQueue<>();
        final List<String> hookThreads = new CopyOnWriteArrayList<>();
        final ListenerList<Consumer<String>> listeners = newListenerList("probe listener");
        final AtomicInteger closes = new AtomicInteger();
        final boolean throwOnLogIn;

        ProbeManager(ModuleContext ctx, boolean throwOnLogIn) {
            super(ctx);
            this.throwOnLogIn = throwOnLogIn;
            subscribe("profile.*", e -> listeners.emit(l -> l.accept(e.type())));
            start();
        }

        private void record(String hook) {
            hookThreads.add(Thread.currentThread().getName());
            hooks.add(hook);
        }

        @Override
        protected void onLoggedIn(String userId) {
            record("in:" + userId + ":" + userId().equals(userId));
            if (throwOnLogIn) {
                throw new IllegalStateException("a hook's bug (expected in this test)");
            }
        }

        @Override
        protected void onLoggedOut() {
            record("out:" + (userId() == null));
        }

        @Override
        protected void onConnected() {
            record("connected");
        }

        @Override
        protected void onDisconnected() {
            record("disconnected");
        }

        @Override
        protected void onClose() {
            closes.incrementAndGet();
        }

        CompletableFuture<Map<String, Object>> call(String type) {
            return request(type, Map.of());
        }

        CompletableFuture<String> echo(String text) {
            return attempt(() -> {
                if (text == null) {
                    throw M800Exception.invalidArgument("text must not be null");
                }
                requireUser();
                return CompletableFuture.completedFuture(text);
            });
        }

        CompletableFuture<String> never() {
            return track(new CompletableFuture<>());
        }

        String next() throws InterruptedException {
            String h = hooks.poll(15, TimeUnit.SECONDS);
            assertTrue("no hook within 15 s", h != null);
            return h;
        }
    }

    private static FeatureBundle probe(boolean throwOnLogIn) {
        return FeatureBundle.of("probe", ModuleDefinition.of("probe", FeatureManager.DEPENDENCIES,
                ctx -> new ProbeManager(ctx, throwOnLogIn)));
    }

    private ProbeManager addProbe(Client c, boolean throwOnLogIn) throws Exception {
        get(c.addFeature(probe(throwOnLogIn)));
        return c.module("probe", ProbeManager.class).orElseThrow();
    }

    @Test
    public void hooksFollowLogInReconnectAndLogOutInOrderOnTheDiskThread() throws Exception {
        Client c = fx.open(fx.config("hooks-1").build());
        ProbeManager probe = addProbe(c, false);
        String user = get(c.require(AccountManager.class).signUp("hooks", "correct horse", null)).userId();
        assertEquals("in:" + user + ":true", probe.next());
        assertEquals("connected", probe.next());

        fx.restart(); // the connection drops and comes back
        assertEquals("disconnected", probe.next());
        assertEquals("connected", probe.next());

        get(c.require(AccountManager.class).logOut());
        assertEquals("disconnected", probe.next());
        assertEquals("out:true", probe.next());
        assertTrue(probe.hookThreads.toString(), probe.hookThreads.stream().allMatch(t -> t.startsWith("m800-disk")));
    }

    @Test
    public void aClientStartedLoggedInTellsOnLoggedInFirstAndAThrowingHookDoesNotStopTheNext() throws Exception {
        ClientConfig config = fx.config("hooks-2").build();
        Client first = fx.open(config);
        String user = get(first.require(AccountManager.class).signUp("again", "correct horse", null)).userId();
        first.close();

        Client second = fx.open(config);
        ProbeManager probe = addProbe(second, true);
        assertEquals("in:" + user + ":true", probe.next());
        assertEquals("connected", probe.next());
        assertEquals(user, get(probe.echo("x").thenApply(x -> probe.userId())));
    }

    @Test
    public void operationsFailTheirFutureInsteadOfThrowing() throws Exception {
        Client c = fx.open(fx.config("rule-1").build());
        ProbeManager probe = addProbe(c, false);
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(probe.call(" ")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(probe.echo(null)).code());
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(probe.echo("no user yet")).code());
        // the connection service itself never throws either
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.require(ConnectService.class).request("", Map.of())).code());
        Map<String, Object> bad = Map.of("x", new Object());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(probe.request("profile.get", bad)).code());
    }

    @Test
    public void closeFailsEveryPendingFutureWithClosedAndIsIdempotent() throws Exception {
        Client c = fx.open(fx.config("close-1").build());
        ProbeManager probe = addProbe(c, false);
        get(c.require(AccountManager.class).signUp("closer", "correct horse", null));
        assertTrue(probe.next().startsWith("in:"));
        awaitState(c, ConnectionState.CONNECTED);
        List<String> heard = new CopyOnWriteArrayList<>();
        probe.listeners.add(heard::add);

        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(probe.never());
        }
        fx.server().close(); // requests now wait in the offline queue
        awaitState(c, ConnectionState.WAITING);
        for (int i = 0; i < 20; i++) {
            pending.add(probe.call("profile.get"));
        }

        c.close();
        for (CompletableFuture<?> f : pending) {
            assertTrue("close() returned with a future still pending", f.isDone());
            assertEquals(ErrorCode.CLOSED, failure(f).code());
        }
        assertEquals(1, probe.closes.get());
        probe.close();
        assertEquals(1, probe.closes.get());
        assertEquals(ErrorCode.CLOSED, failure(probe.echo("late")).code());
        assertEquals(ErrorCode.CLOSED, failure(probe.call("profile.get")).code());
        assertTrue(probe.listeners.isEmpty());
        assertFalse(heard.contains("late"));
    }

    @Test
    public void aModuleWithoutTheDependenciesIsRefusedWithTheMissingName() {
        ModuleContext partial = new ModuleContext() {
            @Override
            public String moduleName() {
                return "probe";
            }

            @Override
            public String clientId() {
                return "c";
            }

            @Override
            public AppMeta appMeta() {
                return ServerFixture.DEV_APP;
            }

            @Override
            public ClientConfig config() {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.nio.file.Path dataDirectory() {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Object> dependencies() {
                return List.of();
            }

            @Override
            public Object dependency(int index) {
                throw new IndexOutOfBoundsException(index);
            }

            @Override
            public <T> T dependency(String name, Class<T> type) {
                throw M800Exception.invalidArgument("module probe did not declare a dependency on " + name);
            }

            @Override
            public java.util.concurrent.Executor eventExecutor() {
                return Runnable::run;
            }

            @Override
            public java.util.concurrent.ScheduledExecutorService scheduler() {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.concurrent.Executor diskExecutor() {
                return Runnable::run;
            }

            @Override
            public void reportError(M800Exception error) {
            }
        };
        M800Exception e = assertThrows(M800Exception.class, () -> new ProbeManager(partial, false));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(ConnectService.MODULE));
    }

    @Test
    public void theUserIdHashIsStableAndChecked() {
        // SHA-256("alice") = 2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90
        assertEquals("2bd806c97f0e00af1a1fc332", FeatureManager.userIdHash("alice", 24));
        assertEquals("2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90",
                FeatureManager.userIdHash("alice", 64));
        assertSame(ErrorCode.INVALID_ARGUMENT, assertThrows(M800Exception.class,
                () -> FeatureManager.userIdHash(null, 24)).code());
        assertSame(ErrorCode.INVALID_ARGUMENT, assertThrows(M800Exception.class,
                () -> FeatureManager.userIdHash("alice", 65)).code());
    }
}
