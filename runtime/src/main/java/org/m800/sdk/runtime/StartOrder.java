package org.m800.sdk.runtime;

import java.util.Comparator;

/**
 * The order in which the runtime starts its bundles, by role. All bundles are installed and resolved
 * together first, so the order matters only for what happens at activation:
 * <ol>
 * <li>SPI Fly: its weaving hook must be in place before a class that uses {@code ServiceLoader} (such
 * as slf4j-api's {@code LoggerFactory}) is loaded;</li>
 * <li>libraries (ASM, SLF4J and its provider, the OSGi utility and DS API bundles, later Jetty and
 * Jackson);</li>
 * <li>Configuration Admin, then Declarative Services, so that components find their configurations
 * when SCR enables them;</li>
 * <li>the Gogo runtime and its commands, so that shell commands registered by SDK bundles are picked
 * up;</li>
 * <li>the SDK bundles ({@code org.m800.sdk.*});</li>
 * <li>FileInstall, so that {@code deploy/} and {@code etc/} are read once the SDK is up;</li>
 * <li>the Gogo shell: the console, started after the runtime reports that it is ready.</li>
 * </ol>
 * Bundles of equal rank start in the order of their file names.
 */
final class StartOrder {

    /** The symbolic name of the console bundle, started last. */
    static final String CONSOLE = "org.apache.felix.gogo.shell";

    private StartOrder() {
    }

    /** @return the rank of a bundle by its symbolic name; lower starts first */
    static int rank(String symbolicName) {
        if (symbolicName == null) {
            return 1;
        }
        if (symbolicName.startsWith("org.apache.aries.spifly")) {
            return 0;
        }
        return switch (symbolicName) {
            case "org.apache.felix.configadmin" -> 2;
            case "org.apache.felix.scr" -> 3;
            case "org.apache.felix.gogo.runtime" -> 4;
            case "org.apache.felix.gogo.command" -> 5;
            case "org.apache.felix.fileinstall" -> 7;
            case CONSOLE -> 8;
            default -> symbolicName.startsWith("org.m800.sdk.") ? 6 : 1;
        };
    }

    /**
     * @param symbolicName extracts a bundle's symbolic name
     * @param location extracts a bundle's location, the tie-breaker
     * @return a comparator that sorts bundles into start order
     */
    static <B> Comparator<B> comparator(java.util.function.Function<B, String> symbolicName,
            java.util.function.Function<B, String> location) {
        return Comparator.<B>comparingInt(b -> rank(symbolicName.apply(b)))
                .thenComparing(b -> EmbeddedBundles.fileName(location.apply(b)));
    }
}
