package org.m800.sdk.itest;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.ListenerHook;

/**
 * Counts the service listeners a bundle has registered, through a framework listener hook (which is
 * told of the existing listeners when it is registered). Close it after the test.
 */
final class ServiceListenerCounter implements ListenerHook, AutoCloseable {
    private final Bundle owner;
    private final Set<ListenerInfo> listeners = new HashSet<>();
    private final ServiceRegistration<ListenerHook> registration;

    ServiceListenerCounter(BundleContext context, Bundle owner) {
        this.owner = owner;
        this.registration = context.registerService(ListenerHook.class, this, null);
    }

    @Override
    public synchronized void added(Collection<ListenerInfo> added) {
        for (ListenerInfo info : added) {
            try {
                if (!info.isRemoved() && info.getBundleContext().getBundle().equals(owner)) {
                    listeners.add(info);
                }
            } catch (IllegalStateException stoppedBundle) {
                // the listener's bundle is stopping; it is not the owner
            }
        }
    }

    @Override
    public synchronized void removed(Collection<ListenerInfo> removed) {
        listeners.removeAll(removed);
    }

    synchronized int count() {
        return listeners.size();
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
