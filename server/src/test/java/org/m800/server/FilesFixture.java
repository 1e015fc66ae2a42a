package org.m800.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.rules.ExternalResource;

/** A JUnit rule: a reference server on a free port with a temporary data folder, and users for the file tests. */
final class FilesFixture extends ExternalResource {
    private final UnaryOperator<ReferenceServer.Builder> configure;
    private Path dataDirectory;
    private ReferenceServer server;
    private int users;

    FilesFixture() {
        this(b -> b);
    }

    FilesFixture(UnaryOperator<ReferenceServer.Builder> configure) {
        this.configure = configure;
    }

    @Override
    protected void before() throws IOException {
        dataDirectory = Files.createTempDirectory("m800-files-test");
        server = configure.apply(ReferenceServer.builder().port(0).dataDirectory(dataDirectory)).build().start();
    }

    @Override
    protected void after() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteRecursively(dataDirectory);
    }

    /** Closes the server and starts a new one on the same data folder (and port). */
    ReferenceServer restart() throws IOException {
        int port = server.port();
        server.close();
        server = configure.apply(ReferenceServer.builder().port(port).dataDirectory(dataDirectory)).build().start();
        return server;
    }

    ReferenceServer server() {
        return server;
    }

    Path filesDirectory() {
        return dataDirectory.resolve("files");
    }

    /** Signs up a new user of the development application. @return the sign-up answer */
    JsonNode newUser() throws IOException, InterruptedException {
        return HttpTestClient.dev(server).signUp("user" + (++users), "password-" + users);
    }

    FileTestClient client(JsonNode user) {
        return FileTestClient.dev(server, user.path("accessToken").asText());
    }
}
