package org.m800.sdk.core.internal;

/**
 * Where a client's feature bundles come from: the OSGi service registry or the class path.
 */
interface FeatureSource {

    /** Receives providers as they come, change and go. Calls may come from any thread. */
    interface Listener {
        void added(Provider provider);

        void modified(Provider old, Provider updated);

        void removed(Provider provider);

        /** A provider was refused because its definitions are invalid. */
        void rejected(org.m800.sdk.core.M800Exception reason);
    }

    /**
     * Starts following: the listener hears of every provider present now (before this returns) and
     * of every later change, until the returned handle is closed.
     */
    AutoCloseable follow(String clientId, Listener listener);
}
