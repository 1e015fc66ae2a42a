package org.m800.sdk.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code java -jar m800-runtime.jar --script <file>} in a fresh home folder. */
final class RuntimeScript {

    /** The m800:create arguments of a client that is READY without any server (it is not logged in). */
    static String createLine(String clientId, Path dataDirectory) {
        return "m800:create " + clientId + " carrier=" + Env.APP.carrier() + " applicationIdentifier="
                + Env.APP.applicationIdentifier() + " applicationKey=" + Env.APP.applicationKey()
                + " applicationSecret=" + Env.APP.applicationSecret() + " developerKey=" + Env.APP.developerKey()
                + " applicationVersion=" + Env.APP.applicationVersion() + " imServers=ws://127.0.0.1:9/v1/im"
                + " dataDirectory=" + dataDirectory.toAbsolutePath();
    }

    private RuntimeScript() {
    }

    /** Starts the runtime on a script; the caller reads its output and closes it. */
    static ChildProcess start(Path runtimeJar, Path home, List<String> lines) throws IOException {
        Files.createDirectories(home);
        Path script = home.resolve("bench.script");
        Files.write(script, lines);
        List<String> cmd = new ArrayList<>(List.of(Env.javaBinary(), "-jar", runtimeJar.toString(), "--home",
                home.toString(), "--script", script.toString()));
        return ChildProcess.start(cmd, home);
    }
}
