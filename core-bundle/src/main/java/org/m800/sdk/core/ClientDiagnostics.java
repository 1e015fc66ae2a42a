package org.m800.sdk.core;

import java.util.List;

/**
 * A snapshot of a client's module graph, for people and for tests: which features are ready, which
 * wait and for what.
 *
 * @param clientId the client's id
 * @param ready whether the client is ready
 * @param closed whether the client is closed
 * @param features every feature the client knows, by name
 * @param modules every module some provider defines, by name
 */
public record ClientDiagnostics(String clientId, boolean ready, boolean closed, List<FeatureStatus> features,
        List<ModuleStatus> modules) {

    /** The state of a feature. */
    public enum FeatureState {
        /** Every module of the feature is built. */
        READY,
        /** Some module of the feature is not built yet; see {@link FeatureStatus#waitingFor()}. */
        PENDING,
        /** No provider of the feature is present any more, or the client is closed. */
        UNAVAILABLE
    }

    /** The state of a module. */
    public enum ModuleState {
        /** An instance exists. */
        BUILT,
        /** Some dependency is missing or not built; see {@link ModuleStatus#missing()}. */
        PENDING,
        /** The factory failed; see {@link ModuleStatus#error()}. */
        FAILED,
        /** The module is part of a dependency cycle; see {@link ModuleStatus#error()}. */
        CYCLE
    }

    /**
     * @param name the feature name
     * @param state its state
     * @param modules the names of its modules
     * @param waitingFor the modules it waits for: not built, or (transitively) needed and undefined
     * @param providers who provides it: {@code "code"} for a feature added in code, else
     *        {@code "bundle <symbolic name> (ranking n)"}
     */
    public record FeatureStatus(String name, FeatureState state, List<String> modules, List<String> waitingFor,
            List<String> providers) {
    }

    /**
     * @param name the module name
     * @param state its state
     * @param provider the winning provider, as in {@link FeatureStatus#providers()}, with the feature name
     * @param deps the declared dependencies
     * @param missing the dependencies that no provider defines, directly or further down
     * @param error the failure or cycle, or {@code null}
     */
    public record ModuleStatus(String name, ModuleState state, String provider, List<String> deps,
            List<String> missing, String error) {
    }

    /** @return the named feature's status, or {@code null} */
    public FeatureStatus feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    /** @return the named module's status, or {@code null} */
    public ModuleStatus module(String name) {
        return modules.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    /** A multi-line report: one line per feature, then one per module. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("client ").append(clientId).append(closed ? " CLOSED" : ready ? " READY" : " NOT READY").append('\n');
        for (FeatureStatus f : features) {
            out.append("  feature ").append(f.name()).append(' ').append(f.state());
            if (!f.waitingFor().isEmpty()) {
                out.append(" waiting for ").append(String.join(", ", f.waitingFor()));
            }
            out.append(" [").append(String.join("; ", f.providers())).append("]\n");
        }
        for (ModuleStatus m : modules) {
            out.append("  module ").append(m.name()).append(' ').append(m.state());
            if (!m.missing().isEmpty()) {
                out.append(" missing ").append(String.join(", ", m.missing()));
            }
            if (m.error() != null) {
                out.append(": ").append(m.error());
            }
            out.append(" <- ").append(m.provider()).append('\n');
        }
        return out.toString();
    }
}
