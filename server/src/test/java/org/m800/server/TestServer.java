package org.m800.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.rules.ExternalResource;

/** A JUnit rule: a reference server on 127.0.0.1, a free port and a temporary data directory, removed after. */
public final class TestServer extends ExternalResource {
    private Path dataDirectory;
    private ReferenceServer server;

    @Override
    protected void before() throws IOException {
        dataDirectory = Files.createTempDirectory("m800-server-test");
        server = start();
    }

    /** Starts a new server on the same data directory (the previous one must be closed). */
    public ReferenceServer start() throws IOException {
        server = ReferenceServer.builder().port(0).dataDirectory(dataDirectory).developmentOutbox(true).build().start();
        return server;
    }

    public ReferenceServer server() {
        return server;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    protected void after() {
        if (server != null) {
            server.close();
        }
        deleteRecursively(dataDirectory);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
