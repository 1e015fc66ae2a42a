package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/** The launcher's framework handling, in this JVM, with small bundles made by the test. */
public class M800RuntimeTest {

    private Path tmp;

    @Before
    public void createFolder() throws IOException {
        tmp = Files.createTempDirectory("m800-runtime");
    }

    @After
    public void deleteFolder() throws IOException {
        TestFiles.deleteTree(tmp);
    }

    @Test
    public void frameworkPropertiesKeepTheStorageAndWatchDeployAndEtc() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--home", tmp.toString(), "--script", "-");
        Map<String, String> p = M800Runtime.frameworkProperties(o, Map.of("m800.server.imServers", "ws://x"));
        assertEquals(tmp.resolve("felix-cache").toString(), p.get("org.osgi.framework.storage"));
        assertEquals("kept across starts (BundleCache)", "none", p.get("org.osgi.framework.storage.clean"));
        assertEquals(tmp.resolve("deploy") + "," + tmp.resolve("etc"), p.get("felix.fileinstall.dir"));
        assertEquals("500", p.get("felix.fileinstall.poll"));
        assertEquals("--nointeractive", p.get("gosh.args"));
        assertEquals("ws://x", p.get("m800.server.imServers"));
        assertEquals("", M800Runtime.frameworkProperties(RuntimeOptions.parse(), Map.of()).get("gosh.args"));
    }

    @Test
    public void startsEveryBundleAndStopsTheFramework() throws Exception {
        URL a = url(TestFiles.bundle(tmp.resolve("b/a.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "a", "Import-Package", "com.example.b")));
        URL b = url(TestFiles.bundle(tmp.resolve("b/b.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "b", "Export-Package", "com.example.b")));
        M800Runtime stopped;
        try (M800Runtime runtime = M800Runtime.start(properties(), List.of(a, b))) {
            stopped = runtime;
            List<Bundle> bundles = runtime.bundles();
            assertEquals(2, bundles.size());
            for (Bundle bundle : bundles) {
                assertEquals(bundle.getSymbolicName(), Bundle.ACTIVE, bundle.getState());
            }
            assertEquals("", runtime.inactiveBundles());
            assertTrue(runtime.readyAt() >= runtime.frameworkStartedAt());
            assertEquals(Bundle.ACTIVE, runtime.frameworkState());
        }
        assertEquals("stopped and waited for", Bundle.RESOLVED, stopped.frameworkState());
    }

    @Test
    public void anUnresolvedBundleIsNamedWithItsMissingRequirement() throws Exception {
        URL ok = url(TestFiles.bundle(tmp.resolve("b/ok.jar"), "ok"));
        URL broken = url(TestFiles.bundle(tmp.resolve("b/broken.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "broken", "Bundle-Version", "1.2.3",
                "Import-Package", "com.example.missing;version=\"[1,2)\"")));
        StartupException e = assertThrows(StartupException.class,
                () -> M800Runtime.start(properties(), List.of(ok, broken)).close());
        assertTrue(e.getMessage(), e.getMessage().startsWith("bundle broken 1.2.3 (broken.jar) does not resolve: "));
        assertTrue(e.getMessage(), e.getMessage().contains("osgi.wiring.package=com.example.missing"));
    }

    @Test
    public void aBundleThatFailsToStartIsNamed() throws Exception {
        URL bad = url(TestFiles.bundle(tmp.resolve("b/bad.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "bad", "Bundle-Activator", "com.example.NoSuchActivator")));
        StartupException e = assertThrows(StartupException.class,
                () -> M800Runtime.start(properties(), List.of(bad)).close());
        assertTrue(e.getMessage(), e.getMessage().startsWith("bundle bad 0.0.0 (bad.jar) failed to start: "));
        assertTrue(e.getMessage(), e.getMessage().contains("com.example.NoSuchActivator"));
    }

    @Test
    public void theLaunchersClassPathWithTheServerStaysOutsideTheFramework() throws Exception {
        // this JVM's class path holds what the runtime jar's does: Felix, the launcher, the server, Jetty, Jackson, H2
        URL probe = url(TestFiles.bundle(tmp.resolve("b/probe.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "probe", "DynamicImport-Package", "*")));
        try (M800Runtime runtime = M800Runtime.start(properties(), List.of(probe))) {
            List<String> exported = runtime.context().getBundle(0).adapt(BundleWiring.class)
                    .getCapabilities("osgi.wiring.package").stream()
                    .map(c -> (String) c.getAttributes().get("osgi.wiring.package")).toList();
            assertTrue(exported.toString(), exported.contains("org.osgi.framework"));
            for (String pkg : exported) {
                for (String launcherOnly : List.of("org.eclipse.jetty", "com.fasterxml", "org.h2", "org.slf4j",
                        "org.m800", "org.apache.felix")) {
                    assertFalse("the system bundle exports no package of the launcher's class path: " + pkg,
                            pkg.startsWith(launcherOnly));
                }
            }
            Bundle bundle = runtime.bundles().get(0);
            for (String name : List.of("org.eclipse.jetty.server.Server", "org.eclipse.jetty.util.StringUtil",
                    "com.fasterxml.jackson.databind.ObjectMapper", "org.h2.Driver", "org.slf4j.LoggerFactory",
                    "org.m800.server.ReferenceServer", "org.m800.sdk.runtime.Main")) {
                assertThrows(name, ClassNotFoundException.class, () -> bundle.loadClass(name));
            }
            assertNull(bundle.getResource("META-INF/services/java.sql.Driver"));
            assertNull(bundle.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
            assertEquals(String.class, bundle.loadClass("java.lang.String"));
        }
    }

    private Map<String, String> properties() throws UsageException {
        return M800Runtime.frameworkProperties(RuntimeOptions.parse("--home", tmp.toString(), "--script", "-"), Map.of());
    }

    private static URL url(Path jar) throws IOException {
        return jar.toUri().toURL();
    }
}
