package org.m800.sdk.verification;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.HttpService;
import org.m800.server.ApplicationRegistration;
import org.m800.server.ReferenceServer;

/**
 * The real reference server (in-memory database, a clock the test moves) on 127.0.0.1 with extra
 * applications, and standalone clients; everything is closed after the test.
 */
final class VerificationFixture extends ExternalResource {

    /** The system clock plus an offset; moved by less than the 300 s signature skew. */
    static final class MovableClock extends Clock {
        private final AtomicLong offset = new AtomicLong();

        void advance(Duration d) {
            offset.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset.get();
        }
    }

    static AppMeta app(String key, String secret) {
        return AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev").applicationKey(key)
                .applicationSecret(secret).developerKey("dev-developer").applicationVersion("1.0").build();
    }

    static final AppMeta DEV = app("dev-key", "dev-secret");

    final MovableClock clock = new MovableClock();
    private final TemporaryFolder temp;
    private final List<ApplicationRegistration> apps;
    private final List<Client> clients = new ArrayList<>();
    private final String db = "jdbc:h2:mem:verification-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    ClientFactory factory;
    ReferenceServer server;

    VerificationFixture(TemporaryFolder temp, ApplicationRegistration... apps) {
        this.temp = temp;
        this.apps = List.of(apps);
    }

    @Override
    protected void before() throws Throwable {
        ReferenceServer.Builder b = ReferenceServer.builder().port(0).jdbcUrl(db).clock(clock).developmentOutbox(true);
        apps.forEach(b::application);
        server = b.build().start();
        factory = ClientFactory.standalone();
    }

    @Override
    protected void after() {
        clients.forEach(Client::close);
        if (server != null) {
            server.close();
        }
        try (var c = java.sql.DriverManager.getConnection(db); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    ClientConfig config(String id) throws IOException {
        return ClientConfig.builder().clientId(id).imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).verificationServers(List.of(server.httpUri()))
                .dataDirectory(temp.newFolder().toPath()).build();
    }

    /** A client of the factory whose class path provides the verification feature; ready with it. */
    Client open(AppMeta app, String id) throws Exception {
        Client c = factory.create(app, config(id));
        clients.add(c);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (VerificationManager.MODULE.equals(name)) {
                ready.countDown();
            }
        });
        assertTrue("verification not ready: " + c.diagnostics().describe(), ready.await(10, TimeUnit.SECONDS));
        return c;
    }

    /** A factory that does not see this bundle's service file: its clients start without the feature. */
    ClientFactory factoryWithoutVerification() {
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        ClassLoader hiding = new ClassLoader(parent) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> urls = Collections.list(super.getResources(name));
                if (name.equals("META-INF/services/org.m800.sdk.core.FeatureBundle")) {
                    urls.removeIf(u -> u.toString().contains("verification-bundle"));
                }
                return Collections.enumeration(urls);
            }
        };
        Thread.currentThread().setContextClassLoader(hiding);
        try {
            return ClientFactory.standalone();
        } finally {
            Thread.currentThread().setContextClassLoader(parent);
        }
    }

    void track(Client c) {
        clients.add(c);
    }

    /** @return the newest code the development outbox recorded for the session */
    @SuppressWarnings("unchecked")
    static Map<String, Object> delivery(Client c, String sessionId) throws Exception {
        Map<String, Object> answer = get(c.require(HttpService.class).post(HttpService.Endpoint.VERIFICATION,
                "/v1/verification/outbox", Map.of("limit", 100), null, null));
        for (Object o : (List<Object>) answer.get("deliveries")) {
            Map<String, Object> d = (Map<String, Object>) o;
            if (sessionId.equals(d.get("sessionId"))) {
                return d;
            }
        }
        throw new AssertionError("no delivery of " + sessionId);
    }

    static String code(Client c, VerificationSession s) throws Exception {
        return (String) delivery(c, s.id()).get("code");
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(15, TimeUnit.SECONDS);
    }

    /** @return the VerificationException the future failed with */
    static VerificationException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VerificationException v) {
                return v;
            }
            throw new AssertionError("failed with " + e.getCause(), e.getCause());
        }
        throw new AssertionError("expected a failure");
    }
}
