package org.m800.sdk.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's {@code keytool}. */
final class Certificates {

    private Certificates() {
    }

    /**
     * Writes the server's key store and a trust store holding only its certificate (both PKCS12,
     * valid for two days).
     */
    static void make(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword)
            throws IOException, InterruptedException {
        Path cert = keyStore.resolveSibling("server.crt");
        keytool("-genkeypair", "-alias", "m800", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", keyStorePassword, "-keypass", keyStorePassword);
        keytool("-exportcert", "-alias", "m800", "-keystore", keyStore.toString(), "-storepass", keyStorePassword,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "m800", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", trustStorePassword);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (" + p.exitValue() + "): " + output.strip());
        }
    }
}
