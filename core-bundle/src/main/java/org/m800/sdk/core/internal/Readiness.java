package org.m800.sdk.core.internal;

/**
 * Publishes a client's readiness outside of listeners (in OSGi: as Condition services). Called on
 * the client's event thread, in event order, never under the client's lock.
 */
interface Readiness {

    Readiness NONE = new Readiness() {
        @Override
        public void clientReady(boolean ready) {
        }

        @Override
        public void featureReady(String feature, boolean ready) {
        }

        @Override
        public void close() {
        }
    };

    void clientReady(boolean ready);

    void featureReady(String feature, boolean ready);

    /** Withdraws everything published. */
    void close();
}
