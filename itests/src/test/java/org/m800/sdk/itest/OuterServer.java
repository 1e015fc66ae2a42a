package org.m800.sdk.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;
import org.m800.server.ApplicationRegistration;
import org.m800.server.ReferenceServer;

/**
 * The real reference server of one test class, in the outer JVM (never inside the framework, which
 * cannot see the server's classes): port 0 the first time, a fresh data directory under
 * {@code target/itest-work}, the itest application registered. Its URIs reach the framework as
 * system and framework properties ({@link ServerTestSupport}); tests stop and restart it through
 * the {@link OuterServerMBean} it registers. {@link #close()} stops it, withdraws the MBean and the
 * properties and deletes the data directory.
 *
 * <p>Used only by {@link ReferenceServerRunner}; loading it inside the framework would fail.
 */
public final class OuterServer implements OuterServerMBean, AutoCloseable {

    /** The application the tests' {@code AppMeta} ({@link M800TestSupport#appMeta()}) stands for. */
    private static final ApplicationRegistration ITEST_APPLICATION = new ApplicationRegistration(
            M800TestSupport.CARRIER, M800TestSupport.APPLICATION_IDENTIFIER, M800TestSupport.APPLICATION_KEY,
            M800TestSupport.APPLICATION_SECRET, M800TestSupport.DEVELOPER_KEY);

    private final Path dataDirectory;
    private final ObjectName name;
    private ReferenceServer server;
    private int port;
    private boolean closed;

    private OuterServer(Path dataDirectory, ObjectName name) {
        this.dataDirectory = dataDirectory;
        this.name = name;
    }

    /** Starts a server for the named test class and publishes it. */
    static OuterServer start(String testName) throws IOException, JMException {
        Path work = Path.of(System.getProperty("m800.itest.work", "target/itest-work")).toAbsolutePath();
        Files.createDirectories(work);
        Path data = Files.createTempDirectory(work, "server-" + testName + "-");
        OuterServer outer = new OuterServer(data,
                new ObjectName(ServerTestSupport.CONTROL_DOMAIN + ":type=ReferenceServer,test=" + testName));
        try {
            outer.start();
            ManagementFactory.getPlatformMBeanServer().registerMBean(outer, outer.name);
            System.setProperty(ServerTestSupport.PROPERTY_IM, outer.getImUri());
            System.setProperty(ServerTestSupport.PROPERTY_HTTP, outer.getHttpUri());
            System.setProperty(ServerTestSupport.PROPERTY_CONTROL, outer.name.toString());
            return outer;
        } catch (Throwable e) {
            // also an Error such as NoClassDefFoundError when the server's dependencies are missing
            try {
                outer.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public synchronized String getImUri() {
        return "ws://127.0.0.1:" + port + ReferenceServer.IM_PATH;
    }

    @Override
    public synchronized String getHttpUri() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public synchronized int getPort() {
        return port;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public synchronized void start() throws IOException {
        if (closed) {
            throw new IllegalStateException("the server of this test class is closed");
        }
        if (server != null) {
            return;
        }
        ReferenceServer started = ReferenceServer.builder().host("127.0.0.1").port(port)
                .dataDirectory(dataDirectory).application(ITEST_APPLICATION).developmentOutbox(true).build().start();
        server = started;
        port = started.port();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stop();
        }
        try {
            if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + name, e);
        } finally {
            System.clearProperty(ServerTestSupport.PROPERTY_IM);
            System.clearProperty(ServerTestSupport.PROPERTY_HTTP);
            System.clearProperty(ServerTestSupport.PROPERTY_CONTROL);
            deleteTree(dataDirectory);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (NoSuchFileException gone) {
            // nothing to delete
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
