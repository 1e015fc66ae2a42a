package org.m800.sdk.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.M800Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature bundles found once with {@link ServiceLoader} on the class path, all ranked 0; on equal
 * ranking the one found first wins.
 */
final class ClassPathFeatureSource implements FeatureSource {

    private static final Logger LOG = LoggerFactory.getLogger(ClassPathFeatureSource.class);

    private final List<FeatureBundle> bundles;

    ClassPathFeatureSource(ClassLoader loader) {
        List<FeatureBundle> found = new ArrayList<>();
        for (ServiceLoader.Provider<FeatureBundle> p : ServiceLoader.load(FeatureBundle.class, loader).stream().toList()) {
            try {
                FeatureBundle fb = p.get();
                FeatureBundle.of(fb.name(), fb.modules());
                found.add(fb);
            } catch (M800Exception | java.util.ServiceConfigurationError e) {
                LOG.error("ignoring feature bundle {} from the class path: {}", p.type().getName(), e.getMessage());
            }
        }
        this.bundles = List.copyOf(found);
    }

    @Override
    public AutoCloseable follow(String clientId, Listener listener) {
        long order = 0;
        for (FeatureBundle fb : bundles) {
            order++;
            listener.added(new Provider(fb.name(), fb.modules(), Rank.service(0, order),
                    "class path " + fb.getClass().getName(), -1));
        }
        return () -> {
        };
    }
}
