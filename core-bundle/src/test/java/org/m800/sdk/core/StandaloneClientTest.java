package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The client on a plain class path: ServiceLoader finds the core feature. */
public class StandaloneClientTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ClientFactory factory = ClientFactory.standalone();
    private final List<Client> clients = new ArrayList<>();
    private final Recorder rec = new Recorder();
    private AppMeta meta;

    @Before
    public void setUp() {
        meta = AppMeta.fromMap(ConfigTest.appMap());
    }

    @After
    public void tearDown() {
        clients.forEach(Client::close);
    }

    private Client client(String id, ModuleDefinition... overrides) throws IOException {
        ClientConfig config = ClientConfig.builder().clientId(id).imServers("ws://127.0.0.1:9/v1/im")
                .dataDirectory(temp.newFolder().toPath()).build();
        Client c = factory.create(meta, config, List.of(overrides));
        clients.add(c);
        return c;
    }

    @Test
    public void coreIsFoundOnTheClassPathAndReadyFires() throws Exception {
        Client c = client("a");
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        assertTrue(c.isReady());
        assertTrue(c.module(StorageService.class).isPresent());
        assertTrue(rec.threads.stream().allMatch(t -> t.startsWith("m800-events-")));
    }

    @Test
    public void aClientThatIsNotLoggedInStartsNoJettyThread() throws Exception {
        java.util.Set<Thread> before = ioThreads();
        Client c = client("offline");
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        assertTrue(c.isReady());
        java.util.Set<Thread> started = ioThreads();
        started.removeAll(before);
        assertTrue("the shared transport starts at the first request, not with the client: " + started,
                started.isEmpty());
    }

    private static java.util.Set<Thread> ioThreads() {
        java.util.Set<Thread> io = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        io.removeIf(t -> !t.isAlive() || !t.getName().startsWith("m800-io"));
        return io;
    }

    @Test
    public void listenerAddedAfterReadyIsToldAtOnce() throws Exception {
        Client c = client("late");
        CountDownLatch first = new CountDownLatch(1);
        c.on(ClientEvent.READY, x -> first.countDown());
        assertTrue(first.await(10, TimeUnit.SECONDS));
        CompletableFuture<Client> late = new CompletableFuture<>();
        c.on(ClientEvent.READY, late::complete);
        assertSame(c, late.get(10, TimeUnit.SECONDS));
    }

    @Test
    public void throwingListenerDoesNotStopTheOthers() throws Exception {
        Client c = client("throws");
        c.on(ClientEvent.FEATURE_READY, f -> {
            throw new IllegalStateException("listener bug");
        });
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
    }

    @Test
    public void unsubscribedListenerHearsNothingMore() throws Exception {
        Client c = client("unsub");
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        Subscription s = c.on(ClientEvent.FEATURE_READY, heard::add);
        s.close();
        s.close();
        c.addFeature(FeatureBundle.of("extra", rec.module("extra"))).get(10, TimeUnit.SECONDS);
        rec.expect("FEATURE_READY extra");
        assertTrue(heard.toString(), heard.isEmpty() || heard.equals(List.of("core")));
    }

    @Test
    public void featureInCodeWithDepsInDeclaredOrderAndOverrides() throws Exception {
        Client c = client("code");
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        FeatureBundle chat = FeatureBundle.of("chat", rec.module("chat.b"), rec.module("chat.a"),
                rec.module("chat", "chat.b", StorageService.MODULE, "chat.a"));
        assertEquals("chat", c.addFeature(chat).get(10, TimeUnit.SECONDS));
        rec.expect("FEATURE_READY chat");
        Recorder.Instance instance = c.module("chat", Recorder.Instance.class).orElseThrow();
        assertEquals("chat.b#code", instance.deps.get(0).toString());
        assertTrue(instance.deps.get(1) instanceof StorageService);
        assertEquals("chat.a#code", instance.deps.get(2).toString());

        // an override given with another feature replaces chat.a: chat is rebuilt and ready again
        FeatureBundle other = FeatureBundle.of("other", rec.module("other"));
        ModuleDefinition altA = ModuleDefinition.of("chat.a", ctx -> "alternate a");
        c.addFeature(other, List.of(altA)).get(10, TimeUnit.SECONDS);
        List<String> next = List.of(rec.expect("FEATURE_READY"), rec.expect("FEATURE_READY"));
        assertTrue(next.toString(), next.contains("FEATURE_READY chat") && next.contains("FEATURE_READY other"));
        assertEquals("alternate a", c.module("chat", Recorder.Instance.class).orElseThrow().deps.get(2));
        assertTrue(rec.closed.containsAll(List.of("chat.a#code", "chat#code")));
        assertTrue("chat closed before chat.a", rec.closed.indexOf("chat#code") < rec.closed.indexOf("chat.a#code"));

        // removing the feature that brought the override brings the default back
        c.removeFeature("other");
        List<String> back = List.of(rec.expect("FEATURE_"), rec.expect("FEATURE_"));
        assertTrue(back.toString(), back.contains("FEATURE_UNAVAILABLE other") && back.contains("FEATURE_READY chat"));
        assertEquals("chat.a#code", c.module("chat", Recorder.Instance.class).orElseThrow().deps.get(2).toString());
    }

    @Test
    public void diskWorkRunsInOrderOnTheSharedDiskThread() throws Exception {
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(2 * 50);
        java.util.function.BiFunction<String, ModuleContext, Object> writer = (name, ctx) -> {
            for (int i = 0; i < 50; i++) {
                int n = i;
                ctx.diskExecutor().execute(() -> {
                    ran.add(name + n + "@" + Thread.currentThread().getName());
                    done.countDown();
                });
            }
            return name;
        };
        Client a = client("disk-a");
        Client b = client("disk-b");
        a.addFeature(FeatureBundle.of("writer", ModuleDefinition.of("writer", ctx -> writer.apply("a", ctx))))
                .get(10, TimeUnit.SECONDS);
        b.addFeature(FeatureBundle.of("writer", ModuleDefinition.of("writer", ctx -> writer.apply("b", ctx))))
                .get(10, TimeUnit.SECONDS);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        List<String> copy = List.copyOf(ran);
        assertTrue(copy.toString(), copy.stream().allMatch(r -> r.endsWith("@m800-disk")));
        for (String client : List.of("a", "b")) {
            List<String> own = copy.stream().filter(r -> r.startsWith(client)).toList();
            for (int i = 0; i < 50; i++) {
                assertEquals("client " + client + "'s writes run in submission order", client + i + "@m800-disk",
                        own.get(i));
            }
        }
    }

    @Test
    public void constructorOverrideReplacesACoreModule() throws Exception {
        StorageService mine = new StorageService() {
            @Override
            public java.util.Optional<byte[]> read(String key) {
                return java.util.Optional.empty();
            }

            @Override
            public void write(String key, byte[] value) {
            }

            @Override
            public boolean delete(String key) {
                return false;
            }

            @Override
            public List<String> keys() {
                return List.of();
            }
        };
        Client c = client("override", ModuleDefinition.of(StorageService.MODULE, ctx -> mine));
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        assertSame(mine, c.require(StorageService.class));
    }

    @Test
    public void missingDependencyStaysPendingAndTimesOutWithDiagnostics() throws Exception {
        ClientConfig config = ClientConfig.builder().clientId("pending").imServers("ws://127.0.0.1:9/v1/im")
                .dataDirectory(temp.newFolder().toPath()).featureTimeout(java.time.Duration.ofMillis(300)).build();
        Client c = factory.create(meta, config);
        clients.add(c);
        CompletableFuture<String> f = c.addFeature(FeatureBundle.of("needy", rec.module("needy", "ghost")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        M800Exception cause = (M800Exception) e.getCause();
        assertEquals(ErrorCode.TIMEOUT, cause.code());
        assertTrue(cause.getMessage(), cause.getMessage().contains("ghost"));
        ClientDiagnostics d = c.diagnostics();
        assertEquals(ClientDiagnostics.FeatureState.PENDING, d.feature("needy").state());
        assertEquals(List.of("needy", "ghost"), d.feature("needy").waitingFor());
        assertEquals(List.of("ghost"), d.module("needy").missing());
        assertTrue(d.describe(), d.describe().contains("missing ghost"));
        // the dependency arrives later: the pending feature becomes ready by itself
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        c.addFeature(FeatureBundle.of("ghost", rec.module("ghost"))).get(10, TimeUnit.SECONDS);
        List<String> both = List.of(rec.expect("FEATURE_READY"), rec.expect("FEATURE_READY"));
        assertTrue(both.toString(), both.contains("FEATURE_READY needy") && both.contains("FEATURE_READY ghost"));
    }

    @Test
    public void cycleIsReportedNotHungOn() throws Exception {
        Client c = client("cycle");
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        CompletableFuture<String> f = c.addFeature(FeatureBundle.of("loop", rec.module("loop.a", "loop.b"),
                rec.module("loop.b", "loop.c"), rec.module("loop.c", "loop.a")));
        String error = rec.expect("ERROR DEPENDENCY_CYCLE");
        assertTrue(error, error.contains("loop.a -> loop.b -> loop.c -> loop.a"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.DEPENDENCY_CYCLE, ((M800Exception) e.getCause()).code());
        assertEquals(ClientDiagnostics.ModuleState.CYCLE, c.diagnostics().module("loop.b").state());
        assertTrue(c.isReady());
    }

    @Test
    public void throwingFactoryFailsItsFeatureOnly() throws Exception {
        Client c = client("boom");
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        CompletableFuture<String> f = c.addFeature(FeatureBundle.of("boom", ModuleDefinition.of("boom", ctx -> {
            throw new IOException("disk on fire");
        })));
        String error = rec.expect("ERROR MODULE_FAILED");
        assertTrue(error, error.contains("module boom") && error.contains("disk on fire"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.MODULE_FAILED, ((M800Exception) e.getCause()).code());
        assertEquals(ClientDiagnostics.ModuleState.FAILED, c.diagnostics().module("boom").state());
        // the client and other features keep working
        assertEquals("fine", c.addFeature(FeatureBundle.of("fine", rec.module("fine"))).get(10, TimeUnit.SECONDS));
        assertTrue(c.isReady());
    }

    @Test
    public void badCallsAreRefusedClearly() throws Exception {
        Client c = client("bad");
        // asynchronous calls fail their future (core API 1.2); synchronous ones throw
        M800Exception e = failure(c.addFeature("file:/tmp/x.jar"));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
        assertTrue(e.getMessage().contains("needs an OSGi framework"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.addFeature(" ")).code());
        e = assertThrows(M800Exception.class, () -> c.removeFeature("nothing"));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        ConfigTest.assertMessage("the core feature cannot be removed", () -> c.removeFeature("core"));
        ConfigTest.assertMessage("feature must not be null", () -> {
            throw failure(c.addFeature((FeatureBundle) null));
        });
        c.addFeature(FeatureBundle.of("twice", rec.module("twice"))).get(10, TimeUnit.SECONDS);
        ConfigTest.assertMessage("feature twice was already added", () -> {
            throw failure(c.addFeature(FeatureBundle.of("twice", rec.module("twice"))));
        });
        ConfigTest.assertMessage("a client with id bad is already open", () -> client("bad"));
        assertThrows(M800Exception.class, () -> factory.create(null, c.config()));
    }

    /** @return what the future failed with; fails the test if it completes or fails with something else */
    private static M800Exception failure(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertTrue("an M800Exception, not " + e.getCause(), e.getCause() instanceof M800Exception);
        return (M800Exception) e.getCause();
    }

    @Test
    public void closeTearsDownInReverseOrderAndFiresUnavailable() throws Exception {
        Client c = client("closing");
        rec.listen(c);
        rec.expect("FEATURE_READY core");
        rec.expect("READY");
        c.addFeature(FeatureBundle.of("f", rec.module("f.base"), rec.module("f.top", "f.base"))).get(10, TimeUnit.SECONDS);
        rec.expect("FEATURE_READY f");
        c.close();
        c.close();
        List<String> gone = List.of(rec.expect("FEATURE_UNAVAILABLE"), rec.expect("FEATURE_UNAVAILABLE"));
        assertTrue(gone.toString(), gone.containsAll(List.of("FEATURE_UNAVAILABLE core", "FEATURE_UNAVAILABLE f")));
        assertEquals(List.of("f.top#closing", "f.base#closing"), rec.closed);
        assertTrue(c.isClosed());
        assertFalse(c.isReady());
        assertFalse(factory.clients().contains(c));
        M800Exception e = assertThrows(M800Exception.class, () -> c.on(ClientEvent.READY, x -> { }));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
    }

    @Test
    public void clientsHaveSeparateInstancesAndShareFewThreads() throws Exception {
        List<Client> many = new ArrayList<>();
        openReady(many, 0, 10);
        int withTen = Thread.activeCount();
        openReady(many, 10, 210);
        assertNotSame(many.get(0).require(StorageService.class), many.get(1).require(StorageService.class));
        assertTrue("threads grew from " + withTen + " with 10 clients to " + Thread.activeCount() + " with 210",
                Thread.activeCount() <= withTen + 2);
    }

    private void openReady(List<Client> into, int from, int to) throws Exception {
        CountDownLatch ready = new CountDownLatch(to - from);
        for (int i = from; i < to; i++) {
            Client c = client("many-" + i);
            c.on(ClientEvent.READY, x -> ready.countDown());
            into.add(c);
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS));
    }

    @Test
    public void storageSurvivesANewClientOnTheSameFolder() throws Exception {
        Path dir = temp.newFolder("durable").toPath();
        ClientConfig config = ClientConfig.builder().clientId("durable").imServers("ws://127.0.0.1:9/v1/im")
                .dataDirectory(dir).build();
        Client first = factory.create(meta, config);
        CountDownLatch ready = new CountDownLatch(1);
        first.on(ClientEvent.READY, x -> ready.countDown());
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        first.require(StorageService.class).write("session", "token-1".getBytes());
        first.close();
        Client second = ClientFactory.standalone().create(meta, config);
        clients.add(second);
        CountDownLatch ready2 = new CountDownLatch(1);
        second.on(ClientEvent.READY, x -> ready2.countDown());
        assertTrue(ready2.await(10, TimeUnit.SECONDS));
        assertEquals("token-1", new String(second.require(StorageService.class).read("session").orElseThrow()));
        assertTrue(Files.isDirectory(dir.resolve("store")));
    }
}
