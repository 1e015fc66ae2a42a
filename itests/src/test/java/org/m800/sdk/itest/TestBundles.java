package org.m800.sdk.itest;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Assembles the test-only bundles from the classes compiled from {@code src/main/java} with bnd, which writes the manifest
 * (imports computed from the byte code) and the Declarative Services XML of the {@code @Component}
 * classes. Runs in the outer JVM (from the {@code @Configuration} method), once per JVM; the probe
 * finds the jars by {@link #location(String)}.
 */
public final class TestBundles {

    /** The test API bundle: exports {@code org.m800.sdk.itest.api}; installed in every framework. */
    public static final String API = "api";
    /** Feature {@code alpha} (module {@code alpha.greeter} on {@code service.storage}), ranking 0. */
    public static final String ALPHA = "alpha";
    /** Feature {@code alpha} again, ranking 10: an alternate provider of {@code alpha.greeter}. */
    public static final String ALPHA_ALT = "alpha-alt";
    /** Feature {@code beta}, whose module needs {@code gamma.engine} that nothing provides. */
    public static final String BETA = "beta";
    /**
     * Feature {@code loopback}: {@code service.connect} ranked 10, a {@code CountingConnect} that answers
     * locally instead of the core's WebSocket connection.
     */
    public static final String LOOPBACK = "loopback";
    /**
     * Feature {@code carrier-connect}: a carrier's {@code service.connect} (the loopback's connection),
     * ranked -10, with the service property {@code vendor=acme}: used only by clients whose
     * configuration selects it.
     */
    public static final String CARRIER_CONNECT = "carrier-connect";
    /** Feature {@code broken}, whose factory throws. */
    public static final String BROKEN = "broken";
    /** A jar that is not a bundle: a manifest without any OSGi header. */
    public static final String NOT_A_BUNDLE = "not-a-bundle";
    /** Overrides the module {@code media} (ranked 10) with a 700 Hz tone and a sink that keeps the last second. */
    public static final String MEDIA_ALT = "media-alt";
    /** A file named .jar that is no zip at all. */
    public static final String NOT_A_JAR = "not-a-jar";

    private static boolean built;

    private TestBundles() {
    }

    /** @return the folder the test bundles are written to (system property {@code m800.itest.featureBundles}) */
    public static Path directory() {
        return Path.of(required("m800.itest.featureBundles"));
    }

    /** @return the folder the dependency plugin copied the runtime bundles to (system property {@code m800.itest.bundles}) */
    public static Path runtimeBundles() {
        return Path.of(required("m800.itest.bundles"));
    }

    /** @return the file of the named test bundle */
    public static Path file(String name) {
        return directory().resolve(name + ".jar");
    }

    /** @return the file: URL of the named test bundle, for installBundle or addFeature(location) */
    public static String location(String name) {
        return file(name).toUri().toString();
    }

    /** @return the file: URL of a runtime bundle copied by the dependency plugin, by artifactId */
    public static String runtimeLocation(String artifactId) {
        Path jar = runtimeBundles().resolve(artifactId + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build through `mvn verify`, which copies it");
        }
        return jar.toUri().toString();
    }

    /** Builds every test bundle, once per JVM. */
    public static synchronized void buildAll() {
        if (built) {
            return;
        }
        try {
            Files.createDirectories(directory());
            build(API, "org.m800.sdk.itest.api", null);
            build(ALPHA, null, "org.m800.sdk.itest.bundles.alpha");
            build(ALPHA_ALT, null, "org.m800.sdk.itest.bundles.alphaalt");
            build(BETA, null, "org.m800.sdk.itest.bundles.beta");
            build(BROKEN, null, "org.m800.sdk.itest.bundles.broken");
            build(LOOPBACK, null, "org.m800.sdk.itest.bundles.loopback");
            build(CARRIER_CONNECT, null, "org.m800.sdk.itest.bundles.carrier,org.m800.sdk.itest.bundles.loopback",
                    "org.m800.sdk.itest.bundles.carrier.*");
            build(MEDIA_ALT, null, "org.m800.sdk.itest.bundles.mediaalt");
            writeNotABundle(file(NOT_A_BUNDLE));
            Files.writeString(file(NOT_A_JAR), "this is not a zip file\n");
            built = true;
        } catch (Exception e) {
            throw new IllegalStateException("cannot assemble the test bundles: " + e, e);
        }
    }

    private static void build(String name, String exportPackage, String privatePackage) throws Exception {
        build(name, exportPackage, privatePackage, "*");
    }

    /** @param components the classes whose {@code @Component} bnd turns into Declarative Services XML */
    private static void build(String name, String exportPackage, String privatePackage, String components)
            throws Exception {
        File classes = new File(required("m800.itest.bundleClasses"));
        File core = runtimeBundles().resolve("core-bundle.jar").toFile();
        try (Builder b = new Builder()) {
            b.setProperty("Bundle-SymbolicName", "org.m800.sdk.itest." + name.replace('-', '.'));
            b.setProperty("Bundle-Name", "M800 SDK test bundle " + name);
            b.setProperty("Bundle-Version", "1.0.0");
            if (exportPackage != null) {
                b.setProperty("Export-Package", exportPackage);
            }
            if (privatePackage != null) {
                b.setProperty("Private-Package", privatePackage);
            }
            b.setProperty("-dsannotations", components);
            b.setProperty("-noextraheaders", "true");
            b.setProperty("-reproducible", "true");
            b.addClasspath(classes);
            b.addClasspath(core);
            Jar jar = b.build();
            List<String> errors = b.getErrors();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("bnd failed on test bundle " + name + ": " + errors);
            }
            jar.write(file(name).toFile());
        }
    }

    private static void writeNotABundle(Path target) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("readme.txt"));
            jar.write("This jar has no OSGi headers; installing it as a feature must fail.\n".getBytes());
            jar.closeEntry();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through `mvn verify`");
        }
        return value;
    }
}
