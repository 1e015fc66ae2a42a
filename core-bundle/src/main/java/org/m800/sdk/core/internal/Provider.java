package org.m800.sdk.core.internal;

import java.util.List;
import java.util.Map;

import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;

/**
 * One source of module definitions known to a client: a feature-bundle service, a feature added in
 * code, or a set of overrides (which belong to no feature).
 *
 * @param feature the feature name, or {@code null} for overrides
 * @param modules the definitions
 * @param rank how strongly it claims its modules
 * @param description who provides it, for diagnostics
 * @param bundleId the id of the OSGi bundle that registered it, or -1
 * @param properties what a per-client override's filter is matched against: a service's properties,
 *        else {@code m800.feature=<feature>} (nothing for overrides)
 */
record Provider(String feature, List<ModuleDefinition> modules, Rank rank, String description, long bundleId,
        Map<String, Object> properties) {

    Provider {
        modules = List.copyOf(modules);
        properties = Map.copyOf(properties);
    }

    /** A provider with no properties but its feature name. */
    Provider(String feature, List<ModuleDefinition> modules, Rank rank, String description, long bundleId) {
        this(feature, modules, rank, description, bundleId,
                feature == null ? Map.of() : Map.of(FeatureBundle.PROPERTY_FEATURE, feature));
    }

    boolean isOverride() {
        return feature == null;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
