package org.m800.sdk.itest.bundles.alpha;

import java.util.List;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.api.Tracked;
import org.osgi.service.component.annotations.Component;

/** Test feature {@code alpha}: one module, {@code alpha.greeter}, that needs {@code service.storage}. Ranking 0. */
@Component(service = FeatureBundle.class, property = {FeatureBundle.PROPERTY_FEATURE + "=alpha", "service.ranking:Integer=0"})
public final class AlphaFeature implements FeatureBundle {

    private static final List<ModuleDefinition> MODULES = List.of(
            ModuleDefinition.of("alpha.greeter", List.of("service.storage"), ctx -> new Tracked("alpha", ctx)));

    @Override
    public String name() {
        return "alpha";
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }
}
