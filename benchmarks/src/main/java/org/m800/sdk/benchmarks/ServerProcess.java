package org.m800.sdk.benchmarks;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference server in a child JVM ({@code org.m800.server.Main} from this jar's class path), so
 * that its heap and threads are not counted as the SDK's.
 */
final class ServerProcess implements AutoCloseable {

    private final ChildProcess process;
    private final URI im;
    private final URI http;

    private ServerProcess(ChildProcess process, URI im, URI http) {
        this.process = process;
        this.im = im;
        this.http = http;
    }

    /**
     * The abuse limits of every benchmark's server, set explicitly: W1 sends tens of thousands of
     * messages a second from one user and W4 signs up thousands of users from one address, far beyond
     * the server's defaults (docs/protocol.md section 10). Limits this high are never reached, so they
     * measure the cost of the check, not its refusals.
     */
    static final List<String> LIMITS = List.of("--request-rate", "1000000:10000000", "--message-rate",
            "1000000:10000000", "--signups-per-hour", "10000000:10000000");

    static ServerProcess start(Path dataDirectory, String maxHeap, String... serverArgs) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Env.javaBinary(), "-Xmx" + maxHeap));
        command.addAll(extraJvmArgs());
        command.addAll(List.of("-cp", Env.classPath(), "org.m800.server.Main", "--port", "0", "--data",
                dataDirectory.toString()));
        command.addAll(LIMITS);
        command.addAll(List.of(serverArgs));
        ChildProcess p = ChildProcess.start(command, null);
        try {
            p.awaitLine(l -> l.contains("M800 reference server ready"), 60_000, "reference server start");
            String httpLine = p.awaitLine(l -> l.contains("HTTP (signUpServers"), 10_000, "server HTTP URI").text();
            String imLine = p.awaitLine(l -> l.contains("IM (imServers)"), 10_000, "server IM URI").text();
            URI http = URI.create(httpLine.substring(httpLine.indexOf("http")).strip());
            URI im = URI.create(imLine.substring(imLine.indexOf("ws")).strip());
            return new ServerProcess(p, im, http);
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    /**
     * @return the options of {@code -Dbench.server.jvmArgs} (split at spaces), for profiling the server:
     *         {@code -Dbench.server.jvmArgs="-XX:StartFlightRecording=filename=server.jfr"}
     */
    static List<String> extraJvmArgs() {
        String extra = System.getProperty("bench.server.jvmArgs", "").strip();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    /** @return the server process's id (its CPU time is read from it) */
    long pid() {
        return process.pid();
    }

    URI im() {
        return im;
    }

    URI http() {
        return http;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
