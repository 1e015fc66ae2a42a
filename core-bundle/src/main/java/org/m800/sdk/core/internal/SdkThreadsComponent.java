package org.m800.sdk.core.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Owns the threads shared by every client in the framework; a service private to this bundle, so
 * that the per-consumer {@link OsgiClientFactory} instances share one pool.
 */
@Component(service = SdkThreadsComponent.class)
public final class SdkThreadsComponent {

    private final SharedThreads threads = new SharedThreads();

    SharedThreads threads() {
        return threads;
    }

    @Deactivate
    private void deactivate() {
        threads.close();
    }
}
