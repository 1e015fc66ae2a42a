package org.m800.sdk.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The framework's bundle cache, kept across starts: the embedded bundles are installed (copied out of
 * the runtime jar into the cache) only when new, and updated only when their jar changed; every start
 * otherwise begins as a fresh cache would. Called between {@code Framework.init()}, which loads the
 * cached bundles, and {@code Framework.start()}:
 * <ul>
 * <li>a cached bundle that is not one of the embedded ones (installed from {@code deploy/} by FileInstall,
 * or by {@code m800:add}) is uninstalled: FileInstall installs what {@code deploy/} holds again, as on a
 * fresh cache;</li>
 * <li>an embedded bundle whose jar changed since it was cached (its fingerprint, kept in {@value #INDEX}
 * in the storage folder, differs or is unknown) is updated from the jar; a new one is installed;</li>
 * <li>every kept bundle's persistent storage area ({@code Bundle.getDataFile}) is emptied, so
 * Configuration Admin starts with no configuration but those of {@code etc/}, as before;</li>
 * <li>every bundle's persistent start mark is cleared, so that {@code Framework.start()} starts none of
 * them: the runtime starts them itself, in {@link StartOrder}.</li>
 * </ul>
 * A missing or unreadable index only costs a refresh of every embedded bundle.
 */
final class BundleCache {

    /** The file in the storage folder that maps bundle locations to the fingerprints of their jars. */
    static final String INDEX = "m800-bundles.properties";

    private final BundleContext context;
    private final Path index;

    /**
     * @param context the system bundle's context, after {@code Framework.init()}
     * @param storage the framework's storage folder
     */
    BundleCache(BundleContext context, Path storage) {
        this.context = context;
        this.index = storage.resolve(INDEX);
    }

    /**
     * Brings the cache in line with {@code urls}, as described in the class comment.
     *
     * @return the embedded bundles, in the order of {@code urls}
     * @throws StartupException naming the bundle if one cannot be installed or updated
     */
    List<Bundle> reconcile(List<URL> urls) throws StartupException {
        Properties known = readIndex();
        Map<String, Bundle> cached = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() != 0) {
                cached.put(b.getLocation(), b);
            }
        }
        Properties fingerprints = new Properties();
        List<Bundle> result = new ArrayList<>();
        try (Fingerprints print = new Fingerprints()) {
            for (URL url : urls) {
                String location = url.toExternalForm();
                String fingerprint = print.of(url);
                Bundle bundle = cached.remove(location);
                if (bundle == null) {
                    bundle = install(location, url);
                } else if (fingerprint == null || !fingerprint.equals(known.getProperty(location))) {
                    update(bundle, url);
                } else {
                    emptyDataArea(bundle);
                }
                if (fingerprint != null) {
                    fingerprints.setProperty(location, fingerprint);
                }
                result.add(bundle);
            }
        }
        for (Bundle stale : cached.values()) {
            try {
                stale.uninstall();
            } catch (BundleException | IllegalStateException e) {
                throw new StartupException("the cached bundle " + stale.getLocation() + " cannot be uninstalled: "
                        + e.getMessage(), e);
            }
        }
        emptyDataArea(context.getBundle(0));
        for (Bundle b : result) {
            clearStartMark(b);
        }
        writeIndex(fingerprints);
        return result;
    }

    private Bundle install(String location, URL url) throws StartupException {
        try (InputStream in = url.openStream()) {
            return context.installBundle(location, in);
        } catch (BundleException | IOException e) {
            throw new StartupException("bundle " + EmbeddedBundles.fileName(location) + " cannot be installed: "
                    + e.getMessage(), e);
        }
    }

    private static void update(Bundle bundle, URL url) throws StartupException {
        try (InputStream in = url.openStream()) {
            bundle.update(in);
        } catch (BundleException | IOException e) {
            throw new StartupException("bundle " + EmbeddedBundles.fileName(url.toExternalForm())
                    + " cannot be updated in the cache: " + e.getMessage(), e);
        }
        // a fresh revision, but the same bundle: its old data stays unless emptied
        emptyDataArea(bundle);
    }

    /** Clears the persistent autostart setting (stop() records it before it sees the bundle is not active). */
    private static void clearStartMark(Bundle bundle) throws StartupException {
        try {
            bundle.stop();
        } catch (BundleException e) {
            throw new StartupException(M800Runtime.describe(bundle) + " cannot be reset in the cache: "
                    + e.getMessage(), e);
        }
    }

    private static void emptyDataArea(Bundle bundle) throws StartupException {
        java.io.File data = bundle.getDataFile("");
        if (data == null || !data.isDirectory()) {
            return;
        }
        Path root = data.toPath();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                if (!p.equals(root)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new StartupException("the cached data of bundle " + bundle.getSymbolicName() + " in " + root
                    + " cannot be deleted: " + e.getMessage(), e);
        }
    }

    private Properties readIndex() {
        Properties p = new Properties();
        if (Files.isRegularFile(index)) {
            try (Reader in = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                p.clear(); // every embedded bundle is refreshed
            }
        }
        return p;
    }

    private void writeIndex(Properties fingerprints) throws StartupException {
        Path tmp = index.resolveSibling(INDEX + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                fingerprints.store(out, "the embedded bundles in this cache: location = crc32:size of the jar");
            }
            Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StartupException("cannot write " + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fingerprints of bundle jars as {@code crc32:size}: for a jar inside the runtime jar, the CRC and size
     * its entry records (nothing is inflated); for a file, computed from its bytes. The runtime jar is
     * opened once for all its entries.
     */
    static final class Fingerprints implements AutoCloseable {
        private final Map<Path, JarFile> outer = new HashMap<>();

        /** @return the fingerprint, or {@code null} if the URL is of another kind (the bundle is then always refreshed) */
        String of(URL url) throws StartupException {
            try {
                if ("file".equals(url.getProtocol())) {
                    byte[] bytes = Files.readAllBytes(Path.of(url.toURI()));
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    return Long.toHexString(crc.getValue()) + ":" + bytes.length;
                }
                if ("jar".equals(url.getProtocol())) {
                    JarURLConnection c = (JarURLConnection) url.openConnection();
                    URL jarUrl = c.getJarFileURL();
                    if (!"file".equals(jarUrl.getProtocol()) || c.getEntryName() == null) {
                        return null;
                    }
                    Path jar = Path.of(jarUrl.toURI());
                    JarFile file = outer.get(jar);
                    if (file == null) {
                        file = new JarFile(jar.toFile());
                        outer.put(jar, file);
                    }
                    JarEntry entry = file.getJarEntry(c.getEntryName());
                    if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                        return null;
                    }
                    return Long.toHexString(entry.getCrc()) + ":" + entry.getSize();
                }
                return null;
            } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                throw new StartupException("cannot read the bundle " + url + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            for (JarFile f : outer.values()) {
                try {
                    f.close();
                } catch (IOException e) {
                    // read only; nothing to lose
                }
            }
        }
    }
}
