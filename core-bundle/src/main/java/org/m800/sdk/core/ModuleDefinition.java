package org.m800.sdk.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A module of the SDK: a name, the names of the modules it needs, and a factory that builds an
 * instance from them. Immutable and thread-safe.
 *
 * @param name the module name, such as {@code service.connect} or {@code call}: lower-case words of
 *        letters, digits and {@code -}, joined by dots
 * @param deps the modules this one needs, in the order its factory receives them; no duplicates,
 *        not itself
 * @param factory builds the instance
 */
public record ModuleDefinition(String name, List<String> deps, ModuleFactory factory) {

    /** What a module or feature name looks like. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

    /**
     * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} saying what is wrong
     */
    public ModuleDefinition {
        name = checkName("module", name);
        if (deps == null) {
            throw M800Exception.invalidArgument("module " + name + " has a null dependency list");
        }
        Set<String> seen = new HashSet<>();
        for (String dep : deps) {
            checkName("dependency of module " + name, dep);
            if (dep.equals(name)) {
                throw M800Exception.invalidArgument("module " + name + " depends on itself");
            }
            if (!seen.add(dep)) {
                throw M800Exception.invalidArgument("module " + name + " lists dependency " + dep + " twice");
            }
        }
        deps = List.copyOf(deps);
        if (factory == null) {
            throw M800Exception.invalidArgument("module " + name + " has no factory");
        }
    }

    /** Shorthand for {@code new ModuleDefinition(name, List.of(deps), factory)}. */
    public static ModuleDefinition of(String name, List<String> deps, ModuleFactory factory) {
        return new ModuleDefinition(name, deps, factory);
    }

    /** A module without dependencies. */
    public static ModuleDefinition of(String name, ModuleFactory factory) {
        return new ModuleDefinition(name, List.of(), factory);
    }

    static String checkName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw M800Exception.invalidArgument(what + " name is missing");
        }
        if (!NAME.matcher(name).matches()) {
            throw M800Exception.invalidArgument(what + " name '" + name
                    + "' is not valid: use lower-case words of letters, digits and '-', joined by dots");
        }
        return name;
    }

    @Override
    public String toString() {
        return "ModuleDefinition[" + name + (deps.isEmpty() ? "" : " <- " + deps) + "]";
    }

    static void requireNonNullElements(String what, List<?> list) {
        Objects.requireNonNull(list, what);
        for (Object o : list) {
            if (o == null) {
                throw M800Exception.invalidArgument(what + " contains null");
            }
        }
    }
}
