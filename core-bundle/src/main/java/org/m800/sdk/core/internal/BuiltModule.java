package org.m800.sdk.core.internal;

import java.util.List;

import org.m800.sdk.core.ModuleDefinition;

/** A module instance together with exactly what it was built from. */
record BuiltModule(ModuleDefinition definition, Provider provider, Object instance, List<BuiltModule> deps) {

    String name() {
        return definition.name();
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
