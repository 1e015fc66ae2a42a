package org.m800.sdk.core.internal;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.m800.sdk.core.Client;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/** Publishes a client's readiness as OSGi Condition services. */
final class OsgiReadiness implements Readiness {

    private final BundleContext context;
    private final String clientId;
    private final Map<String, ServiceRegistration<Condition>> features = new HashMap<>();
    private ServiceRegistration<Condition> ready;

    OsgiReadiness(BundleContext context, String clientId) {
        this.context = context;
        this.clientId = clientId;
    }

    @Override
    public void clientReady(boolean isReady) {
        if (isReady && ready == null) {
            ready = register(Client.CONDITION_READY, null);
        } else if (!isReady && ready != null) {
            unregister(ready);
            ready = null;
        }
    }

    @Override
    public void featureReady(String feature, boolean isReady) {
        if (isReady && !features.containsKey(feature)) {
            features.put(feature, register(Client.CONDITION_FEATURE_PREFIX + feature, feature));
        } else if (!isReady) {
            ServiceRegistration<Condition> reg = features.remove(feature);
            if (reg != null) {
                unregister(reg);
            }
        }
    }

    @Override
    public void close() {
        clientReady(false);
        features.values().forEach(OsgiReadiness::unregister);
        features.clear();
    }

    private ServiceRegistration<Condition> register(String conditionId, String feature) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Condition.CONDITION_ID, conditionId);
        props.put(Client.PROPERTY_CLIENT_ID, clientId);
        if (feature != null) {
            props.put(org.m800.sdk.core.FeatureBundle.PROPERTY_FEATURE, feature);
        }
        try {
            return context.registerService(Condition.class, Condition.INSTANCE, props);
        } catch (IllegalStateException stopping) {
            return null;
        }
    }

    private static void unregister(ServiceRegistration<?> reg) {
        if (reg == null) {
            return;
        }
        try {
            reg.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle stopped and the framework withdrew it already
        }
    }
}
