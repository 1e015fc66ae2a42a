package org.m800.sdk.core.internal;

import org.m800.sdk.core.M800Exception;

/** Installs feature bundles into the framework a client lives in. */
interface BundleInstaller {

    /** What {@link #install(String)} did. */
    record Installed(long bundleId, String symbolicName) {
    }

    /**
     * Checks that the location holds a bundle, installs it (or takes the one already installed from
     * there) and starts it. Blocks while the framework works.
     *
     * @throws M800Exception INVALID_ARGUMENT saying why the location cannot be used; a bundle this call
     *         installed is uninstalled again
     */
    Installed install(String location);

    /** Uninstalls the bundle if it is still there. */
    void uninstall(long bundleId);
}
