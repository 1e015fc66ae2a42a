package org.m800.sdk.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.ClientConfig;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * What the Karaf tests share: a real Karaf 4.4 booted with {@code m800-sdk-core} from the build's
 * features repository, clients as {@code etc/org.m800.sdk.client-<name>.cfg} files, and a console
 * session. The options are built in the outer JVM ({@code @Configuration}).
 */
final class KarafOptions {

    private KarafOptions() {
    }

    /** @return the work folder of the integration tests (system property {@code m800.itest.work}) */
    static Path work() {
        return Path.of(System.getProperty("m800.itest.work", "target/itest-work")).toAbsolutePath();
    }

    /** @return the URL of the SDK's features repository as the build made it */
    static String sdkFeatures() {
        return "mvn:org.m800.sdk/karaf-features/" + requiredProperty("m800.itest.version") + "/xml/features";
    }

    /**
     * Karaf with {@code m800-sdk-core}, the tests' API bundle and the reference server's URIs as system
     * properties. Nothing listens on a fixed port: the SSH console and the JMX connector get free ports
     * of 127.0.0.1. Karaf reads the build's repository copy before Maven Central.
     */
    static List<Option> karafWithSdkCore() {
        TestBundles.buildAll();
        Path repository = Path.of(requiredProperty("m800.itest.karafRepo")).toAbsolutePath();
        return new ArrayList<>(List.of(
                karafDistributionConfiguration().frameworkUrl(Path.of(requiredProperty("m800.itest.karaf")).toUri().toString())
                        .name("Apache Karaf").karafVersion(requiredProperty("m800.itest.karafVersion"))
                        .unpackDirectory(work().resolve("karaf").toFile()).useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.WARN),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort())),
                // the build's repository first; of the remote ones only Maven Central (Pax Exam's own bundles)
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + repository.toUri() + "@id=m800.build@snapshots"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                        "https://repo1.maven.org/maven2@id=central"),
                features(sdkFeatures(), "m800-sdk-core"),
                // the tests' own API (M800TestSupport names its types), as in every framework of the ITs
                bundle(TestBundles.location(TestBundles.API)),
                systemProperty(ServerTestSupport.PROPERTY_IM).value(ServerTestSupport.outerProperty(ServerTestSupport.PROPERTY_IM)),
                systemProperty(ServerTestSupport.PROPERTY_HTTP).value(ServerTestSupport.outerProperty(ServerTestSupport.PROPERTY_HTTP))));
    }

    /**
     * A factory configuration of the core's client component, as a Karaf user writes it into etc/:
     * the test application, the reference server, a data folder inside Karaf's, and {@code extra}.
     */
    static List<Option> clientConfiguration(String clientId, Map<String, String> extra) {
        String file = "etc/org.m800.sdk.client-" + clientId + ".cfg";
        AppMeta app = M800TestSupport.appMeta();
        Map<String, String> values = new LinkedHashMap<>();
        values.put(AppMeta.CARRIER, app.carrier());
        values.put(AppMeta.APPLICATION_IDENTIFIER, app.applicationIdentifier());
        values.put(AppMeta.APPLICATION_KEY, app.applicationKey());
        values.put(AppMeta.APPLICATION_SECRET, app.applicationSecret());
        values.put(AppMeta.DEVELOPER_KEY, app.developerKey());
        values.put(AppMeta.APPLICATION_VERSION, app.applicationVersion());
        values.put(ClientConfig.CLIENT_ID, clientId);
        values.put(ClientConfig.IM_SERVERS, ServerTestSupport.outerProperty(ServerTestSupport.PROPERTY_IM));
        values.put(ClientConfig.SIGN_UP_SERVERS, ServerTestSupport.outerProperty(ServerTestSupport.PROPERTY_HTTP));
        // inside Karaf's data folder, which goes with the container
        values.put(ClientConfig.DATA_DIRECTORY, "${karaf.data}/m800/" + clientId);
        // as ServerTestSupport.serverConfig: a sign-up on a busy machine may need more than the default 10 s
        values.put(ClientConfig.REQUEST_TIMEOUT, M800TestSupport.TIMEOUT_S + "s");
        values.putAll(extra);
        List<Option> options = new ArrayList<>();
        values.forEach((key, value) -> options.add(editConfigurationFilePut(file, key, value)));
        return options;
    }

    /** Runs a command in a Karaf console session, as a user at the console would, and gives its result. */
    static Object execute(SessionFactory shell, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            Session session = shell.create(new ByteArrayInputStream(new byte[0]), print, print);
            try {
                return session.execute(command);
            } finally {
                session.close();
            }
        }
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the test with Maven (itests/pom.xml)");
        }
        return value;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }
}
