package org.m800.sdk.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;

/**
 * Per-client overrides in the module graph: the selected provider wins over every ranked one, code
 * overrides still win over it, and while it is absent nothing stands in.
 */
public class ModuleSelectionTest {

    private final List<String> closed = new ArrayList<>();

    private record Instance(String by, List<String> closed) implements AutoCloseable {
        @Override
        public void close() {
            closed.add(by);
        }
    }

    private ModuleDefinition connect(String by) {
        return ModuleDefinition.of("service.connect", ctx -> new Instance(by, closed));
    }

    private Provider bundle(String feature, int ranking, long serviceId, Map<String, Object> extra,
            ModuleDefinition... modules) {
        Map<String, Object> properties = new java.util.HashMap<>(extra);
        properties.put(FeatureBundle.PROPERTY_FEATURE, feature);
        properties.put("service.ranking", ranking);
        return new Provider(feature, List.of(modules), Rank.service(ranking, serviceId), feature, serviceId, properties);
    }

    private static ModuleGraph graph(String... overrides) {
        ClientConfig.Builder config = ClientConfig.builder().imServers("ws://h/im");
        for (int i = 0; i < overrides.length; i += 2) {
            config.override(overrides[i], overrides[i + 1]);
        }
        return new ModuleGraph("c", (definition, deps) -> definition.factory().create(null),
                ModuleSelector.of(config.build()));
    }

    private static String builtBy(ModuleGraph graph) {
        return graph.instance("service.connect").map(i -> ((Instance) i).by()).orElse(null);
    }

    @Test
    public void theSelectedFeatureWinsOverAHigherRankedOneAndNothingElseStandsInWhileItIsAbsent() {
        ModuleGraph graph = graph("service.connect", "carrier");
        Provider core = bundle("core", 0, 1, Map.of(), connect("core"),
                ModuleDefinition.of("account", List.of("service.connect"), ctx -> "account"));
        Provider loud = bundle("loud", 10, 2, Map.of(), connect("loud"));
        graph.add(core);
        graph.add(loud);
        GraphChanges changes = graph.reconcile();
        assertEquals(null, builtBy(graph));
        assertFalse("core waits for the selected provider", graph.isCoreReady());
        assertFalse(changes.becameReady);
        ClientDiagnostics d = graph.diagnostics(false);
        ClientDiagnostics.ModuleStatus status = d.module("service.connect");
        assertEquals(d.describe(), ClientDiagnostics.ModuleState.PENDING, status.state());
        assertTrue(status.provider(), status.provider().contains("overrides service.connect=carrier"));
        assertTrue(d.describe(), d.feature("core").waitingFor().contains("service.connect (overrides service.connect=carrier)"));

        Provider carrier = bundle("carrier", -5, 3, Map.of(), connect("carrier"));
        graph.add(carrier);
        changes = graph.reconcile();
        assertEquals("carrier", builtBy(graph));
        assertTrue(changes.becameReady);
        assertTrue(changes.ready.containsAll(List.of("core", "carrier")));

        graph.remove(carrier);
        changes = graph.reconcile();
        assertEquals("no fall back to core or loud", null, builtBy(graph));
        assertEquals(List.of("carrier"), closed);
        assertTrue(changes.unavailable.containsAll(List.of("core", "carrier")));
    }

    @Test
    public void aFilterSelectsByServicePropertiesAndTheHighestRankedMatchWins() {
        ModuleGraph graph = graph("service.connect", "(vendor=acme)");
        graph.add(bundle("core", 0, 1, Map.of(), connect("core")));
        graph.add(bundle("acme-old", 1, 2, Map.of("vendor", "acme"), connect("acme-old")));
        graph.add(bundle("acme-new", 2, 3, Map.of("vendor", "acme"), connect("acme-new")));
        graph.add(bundle("other", 50, 4, Map.of("vendor", "other"), connect("other")));
        graph.reconcile();
        assertEquals("acme-new", builtBy(graph));
    }

    @Test
    public void overridesInCodeStillRankAboveTheSelection() {
        ModuleGraph graph = graph("service.connect", "carrier");
        graph.add(bundle("core", 0, 1, Map.of(), connect("core")));
        graph.add(bundle("carrier", 0, 2, Map.of(), connect("carrier")));
        graph.add(new Provider(null, List.of(connect("code")), Rank.code(Rank.CODE_OVERRIDE, 1), "code", -1));
        graph.reconcile();
        assertEquals("code", builtBy(graph));
    }

    @Test
    public void otherModulesKeepTheirRanking() {
        ModuleGraph graph = graph("media", "carrier");
        graph.add(bundle("core", 0, 1, Map.of(), connect("core")));
        graph.add(bundle("loud", 10, 2, Map.of(), connect("loud")));
        graph.reconcile();
        assertEquals("loud", builtBy(graph));
    }
}
