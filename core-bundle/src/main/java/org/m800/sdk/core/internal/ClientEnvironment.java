package org.m800.sdk.core.internal;

import java.util.function.Function;

/**
 * What a client needs from the world it lives in, so that the same client works in OSGi and on a
 * plain class path.
 *
 * @param threads the factory's shared threads
 * @param features where feature bundles come from
 * @param installer installs bundle jars, or {@code null} outside OSGi
 * @param readiness creates the readiness publisher of a client, given its id
 */
record ClientEnvironment(SharedThreads threads, FeatureSource features, BundleInstaller installer,
        Function<String, Readiness> readiness) {
}
