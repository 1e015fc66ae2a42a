package org.m800.sdk.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The bundle jars shipped inside the runtime: the entries {@code bundles/*.jar} of the runtime jar
 * (or of {@code target/classes} when run from a build), put there by the build from the runtime
 * dependencies of the pom.
 */
final class EmbeddedBundles {

    /** The folder inside the runtime jar that holds the bundles. */
    static final String FOLDER = "bundles/";

    private EmbeddedBundles() {
    }

    /**
     * @return the URLs of the bundle jars next to the launcher's classes, sorted by file name; each is
     *         a URL the framework can open again ({@code jar:file:...!/bundles/x.jar} or {@code file:})
     * @throws StartupException if the launcher's location cannot be read or it holds no bundle
     */
    static List<URL> list() throws StartupException {
        CodeSource source = EmbeddedBundles.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new StartupException("cannot tell where the runtime's classes are, so cannot find its bundles");
        }
        try {
            return list(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new StartupException("cannot read the runtime's location " + source.getLocation(), e);
        }
    }

    /**
     * @param location the runtime jar, or a folder of classes
     * @return the bundle jars under {@value #FOLDER} of that jar or folder, sorted by file name
     */
    static List<URL> list(Path location) throws StartupException {
        List<URL> urls = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                Path folder = location.resolve(FOLDER);
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> files = Files.list(folder)) {
                        for (Path file : (Iterable<Path>) files.filter(EmbeddedBundles::isJar).sorted()::iterator) {
                            urls.add(file.toUri().toURL());
                        }
                    }
                }
            } else {
                String base = "jar:" + location.toUri() + "!/";
                try (JarFile jar = new JarFile(location.toFile())) {
                    List<String> names = jar.stream().map(JarEntry::getName)
                            .filter(n -> n.startsWith(FOLDER) && n.endsWith(".jar") && n.indexOf('/', FOLDER.length()) < 0)
                            .sorted(Comparator.naturalOrder())
                            .toList();
                    for (String name : names) {
                        urls.add(new URL(base + name));
                    }
                }
            }
        } catch (IOException e) {
            throw new StartupException("cannot list the bundles in " + location + ": " + e.getMessage(), e);
        }
        if (urls.isEmpty()) {
            throw new StartupException("no bundle found under " + FOLDER + " in " + location
                    + "; was the runtime built with 'mvn package'?");
        }
        return urls;
    }

    /** @return the file name of a bundle URL, such as {@code org.apache.felix.scr-2.2.18.jar} */
    static String fileName(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static boolean isJar(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jar");
    }
}
