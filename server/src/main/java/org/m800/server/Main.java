package org.m800.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server: {@code java -jar m800-server.jar --port 8080 --data ./data}.
 * Runs until the process is stopped (Ctrl-C / SIGTERM), then closes the server.
 */
public final class Main {
    private Main() {
    }

    private static final String USAGE = """
            Usage: java -jar m800-server.jar [options]
              --port <n>               port to listen on (default 8080, 0 = any free port)
              --host <address>         address to bind (default 127.0.0.1)
              --data <dir>             data directory of the embedded H2 database (default ./m800-data)
              --jdbc-url <url>         use this database instead of the embedded one
              --jdbc-user <user>       database user
              --jdbc-password <pw>     database password (or env M800_JDBC_PASSWORD)
              --apps <file>            JSON file of application registrations
              --no-dev-app             do not accept the development application (dev-key)
              --keystore <file>        serve https/wss with this PKCS12/JKS key store
              --keystore-password <pw> its password (or env M800_KEYSTORE_PASSWORD)
              --files <dir>            folder of uploaded file bytes (default <data>/files)
              --max-file-size <bytes>  largest file accepted for upload (default 104857600, 100 MiB)
              --storage-per-user <bytes> bytes of files one user may keep (default 1073741824, 1 GiB)
              --request-rate <r>:<b>   WebSocket requests per user: r per second, bursts of b (default 200:2000)
              --message-rate <r>:<b>   chat messages per user: r per second, bursts of b (default 100:1000)
              --signups-per-hour <a>:<p> sign-ups per source address and per application (default 100:10000)
              --help                   show this text
            """;

    /** Parses the options, starts the server, prints its endpoints and waits for shutdown. */
    public static void main(String[] args) throws IOException, InterruptedException {
        ReferenceServer.Builder b = ReferenceServer.builder().dataDirectory(Path.of("m800-data"));
        String keyStore = null;
        String keyStorePassword = System.getenv("M800_KEYSTORE_PASSWORD");
        String jdbcUser = null;
        String jdbcPassword = System.getenv("M800_JDBC_PASSWORD");
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--port" -> b.port(Integer.parseInt(value(args, ++i, a)));
                    case "--host" -> b.host(value(args, ++i, a));
                    case "--data" -> b.dataDirectory(Path.of(value(args, ++i, a)));
                    case "--jdbc-url" -> b.jdbcUrl(value(args, ++i, a));
                    case "--jdbc-user" -> jdbcUser = value(args, ++i, a);
                    case "--jdbc-password" -> jdbcPassword = value(args, ++i, a);
                    case "--apps" -> b.applicationsFile(Path.of(value(args, ++i, a)));
                    case "--no-dev-app" -> b.developmentApplication(false);
                    case "--keystore" -> keyStore = value(args, ++i, a);
                    case "--keystore-password" -> keyStorePassword = value(args, ++i, a);
                    case "--files" -> b.filesDirectory(Path.of(value(args, ++i, a)));
                    case "--max-file-size" -> b.maxFileSize(Long.parseLong(value(args, ++i, a)));
                    case "--storage-per-user" -> b.storagePerUser(Long.parseLong(value(args, ++i, a)));
                    case "--request-rate" -> {
                        String[] rb = pair(value(args, ++i, a), a);
                        b.requestRate(Double.parseDouble(rb[0]), Integer.parseInt(rb[1]));
                    }
                    case "--message-rate" -> {
                        String[] rb = pair(value(args, ++i, a), a);
                        b.messageRate(Double.parseDouble(rb[0]), Integer.parseInt(rb[1]));
                    }
                    case "--signups-per-hour" -> {
                        String[] ap = pair(value(args, ++i, a), a);
                        b.signUpsPerHour(Integer.parseInt(ap[0]), Integer.parseInt(ap[1]));
                    }
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            b.jdbcCredentials(jdbcUser, jdbcPassword);
            if (keyStore != null) {
                b.keyStore(Path.of(keyStore), keyStorePassword);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        ReferenceServer server = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "m800-server-shutdown"));
        System.out.println("M800 reference server ready");
        System.out.println("  HTTP (signUpServers, verificationServers): " + server.httpUri());
        System.out.println("  IM (imServers):                           " + server.imUri());
        System.out.println("  calls (callServers):                      " + server.callUri());
        System.out.println("  files (fileServers):                      " + server.httpUri() + "/v1/files/");
        System.out.println("  health:                                   " + server.healthUri());
        stopped.await();
    }

    private static String[] pair(String value, String option) {
        String[] parts = value.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(option + " needs two numbers separated by ':', was " + value);
        }
        return parts;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
