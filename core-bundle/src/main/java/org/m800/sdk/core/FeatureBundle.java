package org.m800.sdk.core;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A feature of the SDK: a name and the module definitions that make it up.
 *
 * <p>In OSGi every SDK bundle registers its feature bundle as a service with the properties
 * {@value #PROPERTY_FEATURE}{@code =<name>} and {@code service.ranking=<n>}; every client tracks
 * these services. A module defined by a higher-ranked feature bundle replaces the module of the same
 * name from a lower-ranked one (on equal ranking, the older service wins). Outside OSGi, feature
 * bundles are found with {@link java.util.ServiceLoader}, all ranked 0.
 *
 * <p>Implementations must be immutable: {@link #modules()} returns the same definitions every time.
 */
public interface FeatureBundle {

    /** Service property: the feature's name. */
    String PROPERTY_FEATURE = "m800.feature";

    /** The name of the feature every client needs; its modules being built means {@link ClientEvent#READY}. */
    String CORE = "core";

    /** @return the feature's name, such as {@code chat}; see {@link ModuleDefinition#NAME} */
    String name();

    /** @return the feature's module definitions; not empty, no two with the same name */
    List<ModuleDefinition> modules();

    /**
     * A feature bundle defined in code.
     *
     * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} if the name is invalid, there is no
     *         module or two modules share a name
     */
    static FeatureBundle of(String name, List<ModuleDefinition> modules) {
        String checked = ModuleDefinition.checkName("feature", name);
        if (modules == null || modules.isEmpty()) {
            throw M800Exception.invalidArgument("feature " + name + " defines no module");
        }
        ModuleDefinition.requireNonNullElements("modules of feature " + name, modules);
        Set<String> names = new HashSet<>();
        for (ModuleDefinition m : modules) {
            if (!names.add(m.name())) {
                throw M800Exception.invalidArgument("feature " + name + " defines module " + m.name() + " twice");
            }
        }
        List<ModuleDefinition> copy = List.copyOf(modules);
        return new FeatureBundle() {
            @Override
            public String name() {
                return checked;
            }

            @Override
            public List<ModuleDefinition> modules() {
                return copy;
            }

            @Override
            public String toString() {
                return "FeatureBundle[" + checked + ", " + copy + "]";
            }
        };
    }

    /** Varargs form of {@link #of(String, List)}. */
    static FeatureBundle of(String name, ModuleDefinition... modules) {
        return of(name, modules == null ? null : java.util.Arrays.asList(modules));
    }
}
