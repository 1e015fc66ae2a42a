package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Waiting without listeners: ready(), featureReady(), connectionState(); require() on a closed client. */
public class LifecycleHelpersTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ClientFactory factory = ClientFactory.standalone();
    private final List<Client> clients = new ArrayList<>();

    @After
    public void tearDown() {
        clients.forEach(Client::close);
    }

    private Client client(String id, Duration featureTimeout) throws IOException {
        ClientConfig config = ClientConfig.builder().clientId(id).imServers("ws://127.0.0.1:9/v1/im")
                .dataDirectory(temp.newFolder().toPath()).featureTimeout(featureTimeout).build();
        Client c = factory.create(AppMeta.fromMap(ConfigTest.appMap()), config);
        clients.add(c);
        return c;
    }

    private static M800Exception failure(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof M800Exception);
        return (M800Exception) e.getCause();
    }

    @Test
    public void readyCompletesWithTheClientAndAgainAtOnceOnceReady() throws Exception {
        Client c = client("ready", Duration.ofSeconds(20));
        assertSame(c, c.ready().get(20, TimeUnit.SECONDS));
        assertTrue(c.isReady());
        CompletableFuture<Client> again = c.ready();
        assertTrue("completed at once", again.isDone());
        assertSame(c, again.get());
        assertEquals(FeatureBundle.CORE, c.featureReady(FeatureBundle.CORE).get(20, TimeUnit.SECONDS));
    }

    @Test
    public void onAPlainClassPathTheClientIsReadyWhenCreateReturns() throws Exception {
        Client c = client("at-once", Duration.ofSeconds(20));
        assertTrue("ClientFactory.create says present providers are built before it returns", c.isReady());
        assertTrue(c.ready().isDone());
    }

    @Test
    public void featureReadyCompletesWhenTheFeatureIsAddedLater() throws Exception {
        Client c = client("later", Duration.ofSeconds(20));
        c.ready().get(20, TimeUnit.SECONDS);
        CompletableFuture<String> extra = c.featureReady("extra");
        assertTrue(!extra.isDone());
        c.addFeature(FeatureBundle.of("extra", ModuleDefinition.of("extra.thing", ctx -> "thing")));
        assertEquals("extra", extra.get(20, TimeUnit.SECONDS));
    }

    @Test
    public void aFeatureThatNeverComesTimesOutNamingWhatIsMissing() throws Exception {
        Client c = client("never", Duration.ofMillis(200));
        M800Exception e = failure(c.featureReady("nowhere"));
        assertEquals(ErrorCode.TIMEOUT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("nowhere") && e.getMessage().contains("featureTimeout"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.featureReady(" ")).code());
    }

    @Test
    public void aModuleThatFailsFailsTheWaitAtOnce() throws Exception {
        Client c = client("fails", Duration.ofSeconds(20));
        CompletableFuture<String> waiting = c.featureReady("boom");
        c.addFeature(FeatureBundle.of("boom", ModuleDefinition.of("boom.thing", ctx -> {
            throw new IllegalStateException("no");
        })));
        assertEquals(ErrorCode.MODULE_FAILED, failure(waiting).code());
    }

    @Test
    public void closingFailsTheWaitsAndRequireSaysClosed() throws Exception {
        Client c = client("closing", Duration.ofSeconds(20));
        c.ready().get(20, TimeUnit.SECONDS);
        CompletableFuture<String> pending = c.featureReady("never");
        c.close();
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(pending).code());
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(c.ready()).code());
        M800Exception e = assertThrows(M800Exception.class, () -> c.require(StorageService.class));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("closed"));
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(c.connectionState(ConnectionState.CONNECTED,
                Duration.ofSeconds(1))).code());
    }

    @Test
    public void connectionStateCompletesAtOnceForTheCurrentStateAndTimesOutNamingTheStatesSeen() throws Exception {
        Client c = client("connection", Duration.ofSeconds(20));
        c.ready().get(20, TimeUnit.SECONDS);
        ConnectionState now = c.require(ConnectService.class).state();
        assertEquals(now, c.connectionState(now, Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS));
        M800Exception e = failure(c.connectionState(ConnectionState.CONNECTED, Duration.ofMillis(200)));
        assertEquals(ErrorCode.TIMEOUT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("was not CONNECTED within 200 ms; it is " + now));
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(c.connectionState(null, Duration.ofSeconds(1))).code());
    }
}
