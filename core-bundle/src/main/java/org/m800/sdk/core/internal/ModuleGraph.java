package org.m800.sdk.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientDiagnostics.FeatureState;
import org.m800.sdk.core.ClientDiagnostics.FeatureStatus;
import org.m800.sdk.core.ClientDiagnostics.ModuleState;
import org.m800.sdk.core.ClientDiagnostics.ModuleStatus;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module graph of one client: which provider wins each module name, which instances exist and
 * what they were built from. {@link #reconcile()} brings the instances in line with the providers:
 * it tears down every instance whose definition or dependencies changed (dependents first), then
 * builds what can be built in dependency order, and reports cycles.
 *
 * <p>Not thread-safe: the owning client serialises every call.
 */
final class ModuleGraph {

    /** Builds one instance from its definition and its dependencies' instances (declared order). */
    @FunctionalInterface
    interface InstanceBuilder {
        Object build(ModuleDefinition definition, List<Object> deps) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModuleGraph.class);

    private record Choice(Provider provider, ModuleDefinition definition) {
    }

    private record Failure(ModuleDefinition definition, List<BuiltModule> deps, String message) {
    }

    private final String clientId;
    private final InstanceBuilder builder;
    private final Map<String, ModuleSelector> selections;
    private final List<Provider> providers = new ArrayList<>();
    private final LinkedHashMap<String, BuiltModule> built = new LinkedHashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Map<String, String> cycles = new HashMap<>();
    private final Map<String, List<BuiltModule>> readyFeatures = new HashMap<>();
    private final Set<String> knownFeatures = new LinkedHashSet<>();
    private Map<String, Choice> winners = Map.of();

    ModuleGraph(String clientId, InstanceBuilder builder) {
        this(clientId, builder, Map.of());
    }

    /**
     * @param selections the client's per-client overrides: for these modules only the selected
     *        providers (and code overrides) compete, and nothing else stands in while none is present
     */
    ModuleGraph(String clientId, InstanceBuilder builder, Map<String, ModuleSelector> selections) {
        this.clientId = clientId;
        this.builder = builder;
        this.selections = Map.copyOf(selections);
    }

    void add(Provider provider) {
        providers.add(Objects.requireNonNull(provider));
        if (provider.feature() != null) {
            knownFeatures.add(provider.feature());
        }
    }

    boolean remove(Provider provider) {
        return providers.remove(provider);
    }

    List<Provider> providers() {
        return List.copyOf(providers);
    }

    boolean isReady(String feature) {
        return readyFeatures.containsKey(feature);
    }

    boolean isCoreReady() {
        return isReady(FeatureBundle.CORE);
    }

    Set<String> readyFeatures() {
        return Set.copyOf(readyFeatures.keySet());
    }

    Optional<Object> instance(String name) {
        BuiltModule m = built.get(name);
        return m == null ? Optional.empty() : Optional.of(m.instance());
    }

    Collection<BuiltModule> builtInOrder() {
        return List.copyOf(built.values());
    }

    /**
     * The failure that keeps a feature from becoming ready without outside help: a module of it
     * (or a module it needs) failed or sits in a cycle. Empty if it is ready or merely waiting.
     */
    Optional<M800Exception> blockingFailure(String feature) {
        for (String module : featureModules().getOrDefault(feature, Set.of())) {
            Optional<M800Exception> failure = blockingFailure(module, new HashSet<>());
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private Optional<M800Exception> blockingFailure(String module, Set<String> seen) {
        if (!seen.add(module) || built.containsKey(module) || !winners.containsKey(module)) {
            return Optional.empty();
        }
        if (cycles.containsKey(module)) {
            return Optional.of(new M800Exception(ErrorCode.DEPENDENCY_CYCLE, cycles.get(module)));
        }
        Failure failure = failures.get(module);
        if (failure != null) {
            return Optional.of(new M800Exception(ErrorCode.MODULE_FAILED, failure.message()));
        }
        for (String dep : winners.get(module).definition().deps()) {
            Optional<M800Exception> f = blockingFailure(dep, seen);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /** Brings the instances in line with the providers. */
    GraphChanges reconcile() {
        GraphChanges changes = new GraphChanges();
        boolean wasCoreReady = isCoreReady();
        winners = chooseWinners();
        disposeInvalid();
        buildWhatCan(changes);
        findCycles(changes);
        diffFeatures(changes);
        changes.becameReady = !wasCoreReady && isCoreReady();
        return changes;
    }

    /** Tears every instance down, dependents first; every ready feature becomes unavailable. */
    GraphChanges closeAll() {
        GraphChanges changes = new GraphChanges();
        dispose(new ArrayList<>(built.values()));
        built.clear();
        providers.clear();
        winners = Map.of();
        failures.clear();
        cycles.clear();
        changes.unavailable.addAll(new TreeMap<>(readyFeatures).keySet());
        readyFeatures.clear();
        return changes;
    }

    private Map<String, Choice> chooseWinners() {
        Map<String, Choice> chosen = new HashMap<>();
        for (Provider p : providers) {
            for (ModuleDefinition d : p.modules()) {
                ModuleSelector selection = selections.get(d.name());
                if (selection != null && !selection.allows(p)) {
                    continue;
                }
                Choice current = chosen.get(d.name());
                if (current == null || p.rank().compareTo(current.provider().rank()) > 0) {
                    chosen.put(d.name(), new Choice(p, d));
                }
            }
        }
        return chosen;
    }

    private void disposeInvalid() {
        List<BuiltModule> invalid = new ArrayList<>();
        Set<BuiltModule> valid = new HashSet<>();
        for (BuiltModule m : built.values()) {
            Choice winner = winners.get(m.name());
            boolean ok = winner != null && winner.definition() == m.definition() && valid.containsAll(m.deps());
            if (ok) {
                valid.add(m);
            } else {
                invalid.add(m);
            }
        }
        built.values().removeAll(invalid);
        dispose(invalid);
    }

    private void dispose(List<BuiltModule> modules) {
        for (int i = modules.size() - 1; i >= 0; i--) {
            BuiltModule m = modules.get(i);
            if (m.instance() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception | LinkageError e) {
                    LOG.warn("client {}: closing module {} failed", clientId, m.name(), e);
                }
            }
            LOG.debug("client {}: module {} torn down", clientId, m.name());
        }
    }

    private void buildWhatCan(GraphChanges changes) {
        List<String> names = new ArrayList<>(winners.keySet());
        names.sort(Comparator.naturalOrder());
        failures.keySet().retainAll(winners.keySet());
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String name : names) {
                if (!built.containsKey(name) && tryBuild(winners.get(name), changes)) {
                    progress = true;
                }
            }
        }
    }

    private boolean tryBuild(Choice choice, GraphChanges changes) {
        ModuleDefinition def = choice.definition();
        List<BuiltModule> deps = new ArrayList<>(def.deps().size());
        for (String dep : def.deps()) {
            BuiltModule d = built.get(dep);
            if (d == null) {
                return false;
            }
            deps.add(d);
        }
        Failure previous = failures.get(def.name());
        if (previous != null && previous.definition() == def && previous.deps().equals(deps)) {
            return false;
        }
        Object instance;
        String failure;
        Throwable cause = null;
        try {
            instance = builder.build(def, deps.stream().map(BuiltModule::instance).toList());
            failure = instance == null ? "its factory returned null" : null;
        } catch (Exception | LinkageError e) {
            instance = null;
            cause = e;
            failure = "its factory threw " + e;
        }
        if (failure != null) {
            String message = "module " + def.name() + " (" + describe(choice.provider()) + ") could not be built: "
                    + failure;
            failures.put(def.name(), new Failure(def, deps, message));
            changes.errors.add(new M800Exception(ErrorCode.MODULE_FAILED, message, cause));
            LOG.warn("client {}: {}", clientId, message, cause);
            return false;
        }
        failures.remove(def.name());
        built.put(def.name(), new BuiltModule(def, choice.provider(), instance, List.copyOf(deps)));
        LOG.debug("client {}: module {} built by {}", clientId, def.name(), choice.provider().description());
        return true;
    }

    private void findCycles(GraphChanges changes) {
        Map<String, String> found = new HashMap<>();
        Set<String> done = new HashSet<>();
        List<String> names = new ArrayList<>(winners.keySet());
        names.sort(Comparator.naturalOrder());
        for (String start : names) {
            if (!built.containsKey(start) && !done.contains(start)) {
                walk(start, new ArrayDeque<>(), new HashSet<>(), done, found);
            }
        }
        for (Map.Entry<String, String> e : found.entrySet()) {
            if (!e.getValue().equals(cycles.get(e.getKey()))) {
                // report each newly found cycle once, from its first member
                String cycle = e.getValue();
                if (changes.errors.stream().noneMatch(x -> x.getMessage().equals(cycle))) {
                    changes.errors.add(new M800Exception(ErrorCode.DEPENDENCY_CYCLE, cycle));
                    LOG.warn("client {}: {}", clientId, cycle);
                }
            }
        }
        cycles.clear();
        cycles.putAll(found);
    }

    private void walk(String name, Deque<String> path, Set<String> onPath, Set<String> done,
            Map<String, String> found) {
        Choice choice = winners.get(name);
        if (choice == null || built.containsKey(name) || done.contains(name)) {
            return;
        }
        path.addLast(name);
        onPath.add(name);
        for (String dep : choice.definition().deps()) {
            if (onPath.contains(dep)) {
                List<String> cycle = new ArrayList<>();
                boolean in = false;
                for (String p : path) {
                    in |= p.equals(dep);
                    if (in) {
                        cycle.add(p);
                    }
                }
                cycle.add(dep);
                String text = "modules depend on each other in a cycle: " + String.join(" -> ", cycle);
                for (String member : cycle) {
                    found.putIfAbsent(member, text);
                }
            } else {
                walk(dep, path, onPath, done, found);
            }
        }
        onPath.remove(name);
        path.removeLast();
        done.add(name);
    }

    private Map<String, Set<String>> featureModules() {
        Map<String, Set<String>> result = new TreeMap<>();
        for (Provider p : providers) {
            if (p.feature() != null) {
                Set<String> modules = result.computeIfAbsent(p.feature(), f -> new LinkedHashSet<>());
                p.modules().forEach(m -> modules.add(m.name()));
            }
        }
        return result;
    }

    private void diffFeatures(GraphChanges changes) {
        Map<String, Set<String>> features = featureModules();
        for (String feature : new TreeMap<>(readyFeatures).keySet()) {
            if (!features.containsKey(feature) || !allBuilt(features.get(feature))) {
                readyFeatures.remove(feature);
                changes.unavailable.add(feature);
            }
        }
        for (Map.Entry<String, Set<String>> e : features.entrySet()) {
            if (allBuilt(e.getValue())) {
                List<BuiltModule> instances = e.getValue().stream().map(built::get).toList();
                List<BuiltModule> before = readyFeatures.put(e.getKey(), instances);
                if (!instances.equals(before)) {
                    changes.ready.add(e.getKey());
                }
            }
        }
    }

    private boolean allBuilt(Set<String> modules) {
        return built.keySet().containsAll(modules);
    }

    private static String describe(Provider p) {
        return (p.feature() == null ? "override" : "feature " + p.feature()) + " from " + p.description();
    }

    ClientDiagnostics diagnostics(boolean closed) {
        Map<String, Set<String>> features = featureModules();
        Map<String, List<String>> providersByFeature = new HashMap<>();
        for (Provider p : providers) {
            if (p.feature() != null) {
                providersByFeature.computeIfAbsent(p.feature(), f -> new ArrayList<>()).add(p.description());
            }
        }
        List<FeatureStatus> featureStatuses = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(new TreeMap<>(features).keySet());
        knownFeatures.stream().sorted().forEach(names::add);
        for (String feature : names) {
            Set<String> modules = features.get(feature);
            if (modules == null) {
                featureStatuses.add(new FeatureStatus(feature, FeatureState.UNAVAILABLE, List.of(), List.of(), List.of()));
                continue;
            }
            Set<String> waiting = new LinkedHashSet<>();
            for (String m : modules) {
                if (!built.containsKey(m)) {
                    waiting.add(m);
                    waiting.addAll(missing(m));
                }
            }
            FeatureState state = readyFeatures.containsKey(feature) ? FeatureState.READY : FeatureState.PENDING;
            featureStatuses.add(new FeatureStatus(feature, state, List.copyOf(modules), List.copyOf(waiting),
                    List.copyOf(providersByFeature.getOrDefault(feature, List.of()))));
        }
        List<ModuleStatus> moduleStatuses = new ArrayList<>();
        for (String name : new TreeMap<>(winners).keySet()) {
            Choice c = winners.get(name);
            ModuleState state;
            String error = null;
            if (built.containsKey(name)) {
                state = ModuleState.BUILT;
            } else if (cycles.containsKey(name)) {
                state = ModuleState.CYCLE;
                error = cycles.get(name);
            } else if (failures.containsKey(name)) {
                state = ModuleState.FAILED;
                error = failures.get(name).message();
            } else {
                state = ModuleState.PENDING;
            }
            moduleStatuses.add(new ModuleStatus(name, state, describe(c.provider()), c.definition().deps(),
                    built.containsKey(name) ? List.of() : missing(name), error));
        }
        for (ModuleSelector selection : new TreeMap<>(selections).values()) {
            if (!winners.containsKey(selection.module())) {
                moduleStatuses.add(new ModuleStatus(selection.module(), ModuleState.PENDING,
                        "no provider: " + selection.describe() + " selects no feature bundle that is present",
                        List.of(), List.of(), null));
            }
        }
        moduleStatuses.sort(Comparator.comparing(ModuleStatus::name));
        return new ClientDiagnostics(clientId, isCoreReady(), closed, List.copyOf(featureStatuses),
                List.copyOf(moduleStatuses));
    }

    /** The modules that {@code name} needs, directly or further down, which no provider defines. */
    private List<String> missing(String name) {
        Set<String> result = new LinkedHashSet<>();
        collectMissing(name, new HashSet<>(), result);
        return List.copyOf(result);
    }

    private void collectMissing(String name, Set<String> seen, Set<String> result) {
        if (!seen.add(name)) {
            return;
        }
        Choice c = winners.get(name);
        if (c == null) {
            ModuleSelector selection = selections.get(name);
            result.add(selection == null ? name : name + " (" + selection.describe() + ")");
            return;
        }
        for (String dep : c.definition().deps()) {
            if (!built.containsKey(dep)) {
                collectMissing(dep, seen, result);
            }
        }
    }
}
