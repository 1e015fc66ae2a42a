package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class EmbeddedBundlesTest {

    private Path tmp;

    @Before
    public void createFolder() throws IOException {
        tmp = Files.createTempDirectory("m800-bundles");
    }

    @After
    public void deleteFolder() throws IOException {
        TestFiles.deleteTree(tmp);
    }

    @Test
    public void listsTheJarsOfTheBundlesFolderOfAClassesFolder() throws Exception {
        Path classes = tmp.resolve("classes");
        TestFiles.bundle(classes.resolve("bundles/b.jar"), "b");
        TestFiles.bundle(classes.resolve("bundles/a.jar"), "a");
        Files.writeString(classes.resolve("bundles/readme.txt"), "not a bundle");
        List<URL> urls = EmbeddedBundles.list(classes);
        assertEquals(List.of(classes.resolve("bundles/a.jar").toUri().toURL(),
                classes.resolve("bundles/b.jar").toUri().toURL()), urls);
    }

    @Test
    public void listsTheNestedJarsOfARuntimeJarAsUrlsThatOpen() throws Exception {
        Path inner = TestFiles.bundle(tmp.resolve("inner.jar"), "inner");
        Path outer = tmp.resolve("runtime.jar");
        try (OutputStream out = Files.newOutputStream(outer); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("bundles/"));
            jar.putNextEntry(new JarEntry("bundles/z-inner.jar"));
            jar.write(Files.readAllBytes(inner));
            jar.putNextEntry(new JarEntry("bundles/nested/ignored.jar"));
            jar.putNextEntry(new JarEntry("org/m800/Some.class"));
        }
        List<URL> urls = EmbeddedBundles.list(outer);
        assertEquals(1, urls.size());
        assertTrue(urls.get(0).toString(), urls.get(0).toString().endsWith("runtime.jar!/bundles/z-inner.jar"));
        try (InputStream in = urls.get(0).openStream(); JarInputStream bundle = new JarInputStream(in)) {
            assertEquals("inner", bundle.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
        }
    }

    @Test
    public void noBundleIsAStartupError() throws Exception {
        StartupException e = assertThrows(StartupException.class, () -> EmbeddedBundles.list(tmp));
        assertTrue(e.getMessage(), e.getMessage().contains("no bundle found under bundles/"));
    }

    @Test
    public void theBuildPutsTheRuntimeBundlesNextToTheClasses() throws Exception {
        List<String> files = EmbeddedBundles.list().stream().map(u -> EmbeddedBundles.fileName(u.toString())).toList();
        for (String prefix : List.of("core-bundle-", "org.apache.felix.scr-", "org.apache.felix.configadmin-",
                "org.apache.felix.fileinstall-", "org.apache.felix.gogo.shell-", "org.apache.aries.spifly.dynamic.bundle-",
                "slf4j-api-", "slf4j-simple-", "asm-9")) {
            assertTrue(prefix + " in " + files, files.stream().anyMatch(f -> f.startsWith(prefix)));
        }
        assertTrue(files.toString(), files.stream().noneMatch(f -> f.startsWith("org.apache.felix.framework")));
    }
}
