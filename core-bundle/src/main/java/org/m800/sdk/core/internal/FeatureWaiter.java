package org.m800.sdk.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A caller waiting for a feature to become ready: named directly (added in code), or as whatever
 * feature a bundle registers (added by location, {@code bundleId >= 0}).
 */
final class FeatureWaiter {

    final String feature;
    final long bundleId;
    final CompletableFuture<String> future = new CompletableFuture<>();
    ScheduledFuture<?> timeout;

    private FeatureWaiter(String feature, long bundleId) {
        this.feature = feature;
        this.bundleId = bundleId;
    }

    static FeatureWaiter forFeature(String feature) {
        return new FeatureWaiter(feature, -1);
    }

    static FeatureWaiter forBundle(long bundleId) {
        return new FeatureWaiter(null, bundleId);
    }

    String describe() {
        return feature != null ? "feature " + feature : "the feature of bundle " + bundleId;
    }
}
