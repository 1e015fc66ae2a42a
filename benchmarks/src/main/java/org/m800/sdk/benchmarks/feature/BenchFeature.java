package org.m800.sdk.benchmarks.feature;

import java.util.List;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;

/**
 * The feature bundle W5 installs and uninstalls: feature {@code bench}, one module
 * {@code bench.worker} on {@code service.storage}. W5 packs this class into a bundle jar at run time
 * (hand-written manifest and Declarative Services XML), so it must only use the SDK's API package.
 */
public final class BenchFeature implements FeatureBundle {

    /** The feature's name. */
    public static final String NAME = "bench";

    private static final List<ModuleDefinition> MODULES = List.of(
            ModuleDefinition.of("bench.worker", List.of("service.storage"), ctx -> new Worker(ctx.dependency(0))));

    /** Called by Declarative Services. */
    public BenchFeature() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }

    /** The module instance: holds its dependency, closes cleanly. */
    public static final class Worker implements AutoCloseable {
        private volatile Object storage;

        Worker(Object storage) {
            this.storage = storage;
        }

        @Override
        public void close() {
            storage = null;
        }
    }
}
