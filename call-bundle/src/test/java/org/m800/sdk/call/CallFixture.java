package org.m800.sdk.call;

import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.internal.CallManagerImpl;
import org.m800.sdk.call.internal.EngineFactory;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaEngineOptions;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaManager;
import org.m800.sdk.testing.ReferenceServerFixture;
import org.m800.sdk.testing.TcpProxy;
import org.m800.server.CallSettings;
import org.m800.server.ReferenceServer;

/**
 * The real reference server (with call settings of the test's choosing, its WebSocket port behind a
 * {@link TcpProxy} that can cut the clients' signalling) and clients with the call feature from the test
 * class path. Each client's {@code media} module is overridden in code, as the seed shows, with a manager
 * whose defaults are a silent source and a recording sink. Everything is closed after the test.
 */
final class CallFixture extends ExternalResource {
    static final int RATE = 48_000;
    static final long SECONDS = 20;

    private final TemporaryFolder temp;
    private final CallSettings settings;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ClientFactory factory = ClientFactory.standalone();
    private ReferenceServer server;
    private TcpProxy proxy;
    private EngineFactory engines = MediaEngine::create;

    CallFixture(TemporaryFolder temp, CallSettings settings) {
        this.temp = temp;
        this.settings = settings;
    }

    /** Engines made with these options (a shorter media timeout, say) for the clients opened after. */
    CallFixture engineOptions(MediaEngineOptions options) {
        engines = () -> MediaEngine.create(options);
        return this;
    }

    /** Engines from this factory for the clients opened after. */
    CallFixture engines(EngineFactory factory) {
        engines = factory;
        return this;
    }

    @Override
    protected void before() throws Throwable {
        int base = 43_000 + (int) (ProcessHandle.current().pid() % 40) * 100;
        server = ReferenceServer.builder().port(0).dataDirectory(temp.newFolder("server").toPath())
                .callSettings(settings.withRelay("127.0.0.1", base, base + 99)).build().start();
        proxy = new TcpProxy(java.net.URI.create("http://127.0.0.1:" + server.port()), 1);
    }

    @Override
    protected void after() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            proxy.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.close();
    }

    ReferenceServer server() {
        return server;
    }

    TcpProxy proxy() {
        return proxy;
    }

    /** A media manager whose defaults are silence and a sink that records (so a test can also use them). */
    static final class TestMedia implements MediaManager {
        final RecordingSink sink = new RecordingSink(RATE);

        @Override
        public AudioSource defaultSource() {
            return new ToneSource(RATE, 440, 0);
        }

        @Override
        public AudioSink defaultSink() {
            return sink;
        }
    }

    /** Opens a client through the proxy, with the call feature ready. */
    Client client(String clientId) throws Exception {
        URI im = URI.create("ws://127.0.0.1:" + proxy.port() + ReferenceServer.IM_PATH);
        ClientConfig config = ClientConfig.builder().clientId(clientId).imServers(List.of(im))
                .signUpServers(List.of(server.httpUri())).callServers(List.of(URI.create("ws://127.0.0.1:" + proxy.port() + ReferenceServer.CALL_PATH)))
                .dataDirectory(temp.newFolder().toPath()).reconnectMinDelay(Duration.ofMillis(20))
                .reconnectMaxDelay(Duration.ofMillis(200)).build();
        EngineFactory engineFactory = engines;
        Client c = factory.create(ReferenceServerFixture.DEV_APP, config, List.of(
                ModuleDefinition.of(MediaManager.MODULE, List.of(NotificationService.MODULE), ctx -> new TestMedia()),
                ModuleDefinition.of(CallManager.MODULE, CallManagerImpl.DEPENDENCIES,
                        ctx -> new CallManagerImpl(ctx, engineFactory))));
        open.add(c::close);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(CallManager.MODULE)) {
                ready.countDown();
            }
        });
        assertTrue("call not ready in " + clientId + ": " + c.diagnostics().describe(),
                ready.await(SECONDS, TimeUnit.SECONDS));
        return c;
    }

    /** A new user with a client of its own. */
    Client newUser(String username) throws Exception {
        Client c = client(username);
        get(c.require(AccountManager.class).signUp(username, username + "-password", null));
        return c;
    }

    /** Another device (client and login session) of an existing user. */
    Client otherDevice(String username, String clientId) throws Exception {
        Client c = client(clientId);
        get(c.require(AccountManager.class).logIn(username, username + "-password"));
        return c;
    }

    static CallManager calls(Client c) {
        return c.require(CallManager.class);
    }

    static String userId(Client c) {
        return ReferenceServerFixture.userId(c);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(SECONDS, TimeUnit.SECONDS);
    }
}
