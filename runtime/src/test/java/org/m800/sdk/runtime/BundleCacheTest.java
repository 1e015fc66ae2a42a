package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/** The framework's bundle cache kept across starts of {@link M800Runtime}, with bundles made by the test. */
public class BundleCacheTest {

    private Path tmp;
    private Map<String, String> properties;

    @Before
    public void createFolder() throws Exception {
        tmp = Files.createTempDirectory("m800-cache");
        properties = M800Runtime.frameworkProperties(RuntimeOptions.parse("--home", tmp.toString(), "--script", "-"),
                Map.of());
    }

    @After
    public void deleteFolder() throws IOException {
        TestFiles.deleteTree(tmp);
    }

    @Test
    public void aSecondStartKeepsUnchangedBundlesAndUpdatesAChangedOne() throws Exception {
        URL a = url(bundle("a", "1.0.0"));
        URL b = url(bundle("b", "1.0.0"));
        long aId;
        long aModified;
        long bId;
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a, b))) {
            aId = runtime.bundles().get(0).getBundleId();
            aModified = runtime.bundles().get(0).getLastModified();
            bId = runtime.bundles().get(1).getBundleId();
        }
        bundle("b", "2.0.0");
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a, b))) {
            Bundle a2 = runtime.bundles().get(0);
            Bundle b2 = runtime.bundles().get(1);
            assertEquals("a is the cached bundle", aId, a2.getBundleId());
            assertEquals("a was not copied again", aModified, a2.getLastModified());
            assertEquals("1.0.0", a2.getVersion().toString());
            assertEquals("b is the cached bundle, updated", bId, b2.getBundleId());
            assertEquals("b's new jar is used", "2.0.0", b2.getVersion().toString());
            assertEquals("", runtime.inactiveBundles());
            assertEquals(3, runtime.context().getBundles().length);
        }
    }

    @Test
    public void bundlesNoLongerEmbeddedAndThoseInstalledWhileRunningAreGoneAtTheNextStart() throws Exception {
        URL a = url(bundle("a", "1.0.0"));
        URL b = url(bundle("b", "1.0.0"));
        URL other = url(bundle("deployed", "1.0.0"));
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a, b))) {
            // as FileInstall does for deploy/ and m800:add for a feature bundle: installed and started persistently
            runtime.context().installBundle(other.toExternalForm(), other.openStream()).start();
        }
        for (int restart = 0; restart < 3; restart++) {
            try (M800Runtime runtime = M800Runtime.start(properties, List.of(a))) {
                List<String> names = Arrays.stream(runtime.context().getBundles()).map(Bundle::getSymbolicName)
                        .toList();
                assertEquals(List.of("org.apache.felix.framework", "a"), names);
                assertEquals(Bundle.ACTIVE, runtime.bundles().get(0).getState());
                runtime.context().installBundle(other.toExternalForm(), other.openStream()).start();
            }
        }
        // what was uninstalled leaves the cache: it does not grow with every start
        try (var dirs = Files.list(Path.of(properties.get(Constants.FRAMEWORK_STORAGE)))) {
            List<String> bundleDirs = dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("bundle"))
                    .sorted().toList();
            assertEquals(bundleDirs.toString(), 3, bundleDirs.size()); // the system bundle, a, the last one installed
        }
    }

    @Test
    public void everyStartBeginsWithEmptyDataAreas() throws Exception {
        URL a = url(bundle("a", "1.0.0"));
        Path kept;
        Path system;
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a))) {
            kept = write(runtime.bundles().get(0).getDataFile("config/x.config"));
            system = write(runtime.context().getBundle(0).getDataFile("state"));
        }
        assertTrue(Files.isRegularFile(kept));
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a))) {
            assertFalse("a bundle's data (such as Configuration Admin's) does not outlive a start",
                    Files.exists(kept));
            assertFalse(Files.exists(kept.getParent()));
            assertFalse(Files.exists(system));
            assertEquals("", runtime.inactiveBundles());
        }
    }

    @Test
    public void theFrameworkStartsNoCachedBundleByItself() throws Exception {
        URL a = url(bundle("a", "1.0.0"));
        // a cache in which the bundle is marked started, as the runtime left it before it kept its cache
        Framework old = new FrameworkFactory().newFramework(properties);
        old.start();
        old.getBundleContext().installBundle(a.toExternalForm(), a.openStream()).start();
        stop(old);

        Framework framework = new FrameworkFactory().newFramework(properties);
        try {
            framework.init();
            List<Bundle> bundles = new BundleCache(framework.getBundleContext(), Path.of(properties.get(
                    Constants.FRAMEWORK_STORAGE))).reconcile(List.of(a));
            framework.start();
            assertEquals(1, bundles.size());
            assertNotEquals("left for the runtime to start in its order", Bundle.ACTIVE, bundles.get(0).getState());
        } finally {
            stop(framework);
        }
    }

    @Test
    public void aLostOrBrokenIndexRefreshesEveryBundle() throws Exception {
        URL a = url(bundle("a", "1.0.0"));
        Path index = Path.of(properties.get(Constants.FRAMEWORK_STORAGE)).resolve(BundleCache.INDEX);
        long modified;
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a))) {
            modified = runtime.bundles().get(0).getLastModified();
        }
        assertTrue(Files.readString(index).contains(a.toExternalForm().replace(":", "\\:")));
        Files.writeString(index, "broken\\u00zz");
        // a refresh shows in the bundle's last-modified time (the framework's clock, in ms) once the clock
        // is past the first install's
        while (System.currentTimeMillis() <= modified) {
            Thread.onSpinWait();
        }
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a))) {
            assertNotEquals("refreshed", modified, runtime.bundles().get(0).getLastModified());
            assertEquals("", runtime.inactiveBundles());
        }
        Files.delete(index);
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(a))) {
            assertEquals("", runtime.inactiveBundles());
        }
        assertTrue("written again", Files.isRegularFile(index));
    }

    @Test
    public void aBundleInsideTheRuntimeJarIsFingerprintedFromItsEntryWithoutReadingIt() throws Exception {
        Path outer = tmp.resolve("runtime.jar");
        writeRuntimeJar(outer, Files.readAllBytes(bundle("inner", "1.0.0")));
        URL inner = EmbeddedBundles.list(outer).get(0);
        String first;
        try (BundleCache.Fingerprints prints = new BundleCache.Fingerprints()) {
            first = prints.of(inner);
            assertEquals(first, prints.of(inner));
            assertTrue(first, first.matches("[0-9a-f]+:\\d+"));
            assertNull("a URL of another kind has none", prints.of(new URL("http://127.0.0.1:9/x.jar")));
        }
        writeRuntimeJar(outer, Files.readAllBytes(bundle("inner", "2.0.0")));
        try (BundleCache.Fingerprints prints = new BundleCache.Fingerprints()) {
            assertNotEquals(first, prints.of(inner));
        }
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(inner))) {
            assertEquals("2.0.0", runtime.bundles().get(0).getVersion().toString());
        }
        try (M800Runtime runtime = M800Runtime.start(properties, List.of(inner))) {
            assertEquals("2.0.0", runtime.bundles().get(0).getVersion().toString());
            assertEquals("", runtime.inactiveBundles());
        }
    }

    private Path bundle(String name, String version) throws IOException {
        return TestFiles.bundle(tmp.resolve("b/" + name + ".jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", name, "Bundle-Version", version));
    }

    private static void writeRuntimeJar(Path outer, byte[] inner) throws IOException {
        try (OutputStream out = Files.newOutputStream(outer); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("bundles/inner.jar"));
            jar.write(inner);
        }
    }

    private static Path write(java.io.File file) throws IOException {
        Path p = file.toPath();
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    private static void stop(Framework framework) throws Exception {
        framework.stop();
        assertNotEquals(FrameworkEvent.WAIT_TIMEDOUT, framework.waitForStop(30_000).getType());
    }

    private static URL url(Path jar) throws IOException {
        return jar.toUri().toURL();
    }
}
