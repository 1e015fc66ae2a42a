package org.m800.sdk.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.M800Exception;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feature bundles as OSGi services, followed with one service tracker per client. */
final class OsgiFeatureSource implements FeatureSource {

    private static final Logger LOG = LoggerFactory.getLogger(OsgiFeatureSource.class);

    private final BundleContext context;

    OsgiFeatureSource(BundleContext context) {
        this.context = context;
    }

    @Override
    public AutoCloseable follow(String clientId, Listener listener) {
        ServiceTracker<FeatureBundle, AtomicReference<Provider>> tracker = new ServiceTracker<>(context,
                FeatureBundle.class, new Customizer(clientId, listener));
        tracker.open();
        return tracker::close;
    }

    private final class Customizer implements ServiceTrackerCustomizer<FeatureBundle, AtomicReference<Provider>> {
        private final String clientId;
        private final Listener listener;

        Customizer(String clientId, Listener listener) {
            this.clientId = clientId;
            this.listener = listener;
        }

        @Override
        public AtomicReference<Provider> addingService(ServiceReference<FeatureBundle> ref) {
            FeatureBundle bundle = context.getService(ref);
            if (bundle == null) {
                return null;
            }
            try {
                FeatureBundle checked = FeatureBundle.of(bundle.name(), bundle.modules());
                Object property = ref.getProperty(FeatureBundle.PROPERTY_FEATURE);
                if (property != null && !checked.name().equals(property)) {
                    LOG.warn("feature bundle of {} says it is '{}' but its {} property says '{}'; using '{}'",
                            describe(ref), checked.name(), FeatureBundle.PROPERTY_FEATURE,
                            property, checked.name());
                }
                Provider provider = provider(ref, checked);
                listener.added(provider);
                return new AtomicReference<>(provider);
            } catch (M800Exception | LinkageError e) {
                String message = "client " + clientId + " ignores the feature bundle " + describe(ref) + ": "
                        + e.getMessage();
                LOG.error(message);
                listener.rejected(new M800Exception(org.m800.sdk.core.ErrorCode.INVALID_ARGUMENT, message, e));
                context.ungetService(ref);
                return null;
            }
        }

        @Override
        public void modifiedService(ServiceReference<FeatureBundle> ref, AtomicReference<Provider> holder) {
            Provider old = holder.get();
            Provider updated = new Provider(old.feature(), old.modules(), rank(ref), describe(ref), old.bundleId(),
                    properties(ref));
            if (!updated.rank().equals(old.rank()) || !updated.properties().equals(old.properties())) {
                holder.set(updated);
                listener.modified(old, updated);
            }
        }

        @Override
        public void removedService(ServiceReference<FeatureBundle> ref, AtomicReference<Provider> holder) {
            try {
                listener.removed(holder.get());
            } finally {
                context.ungetService(ref);
            }
        }
    }

    private static Provider provider(ServiceReference<FeatureBundle> ref, FeatureBundle bundle) {
        org.osgi.framework.Bundle owner = ref.getBundle();
        return new Provider(bundle.name(), bundle.modules(), rank(ref), describe(ref),
                owner == null ? -1 : owner.getBundleId(), properties(ref));
    }

    /** The service's properties, which a client's configured override filter is matched against. */
    private static Map<String, Object> properties(ServiceReference<?> ref) {
        Map<String, Object> result = new HashMap<>();
        for (String key : ref.getPropertyKeys()) {
            Object value = ref.getProperty(key);
            if (value != null) {
                result.put(key, value);
            }
        }
        return result;
    }

    private static Rank rank(ServiceReference<?> ref) {
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        Object id = ref.getProperty(Constants.SERVICE_ID);
        return Rank.service(ranking instanceof Integer i ? i : 0, id instanceof Long l ? l : Long.MAX_VALUE);
    }

    private static String describe(ServiceReference<?> ref) {
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        // getBundle() is null once the service is unregistered, which can race with tracking
        org.osgi.framework.Bundle owner = ref.getBundle();
        return "bundle " + (owner == null ? "(gone)" : owner.getSymbolicName()) + " (ranking " + (ranking instanceof Integer i ? i : 0)
                + ")";
    }
}
