package org.m800.sdk.itest.bundles.beta;

import java.util.List;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.api.Tracked;
import org.osgi.service.component.annotations.Component;

/** Test feature {@code beta}: its module {@code beta.worker} needs {@code gamma.engine}, which nothing provides. */
@Component(service = FeatureBundle.class, property = {FeatureBundle.PROPERTY_FEATURE + "=beta", "service.ranking:Integer=0"})
public final class BetaFeature implements FeatureBundle {

    private static final List<ModuleDefinition> MODULES = List.of(
            ModuleDefinition.of("beta.worker", List.of("service.storage", "gamma.engine"), ctx -> new Tracked("beta", ctx)));

    @Override
    public String name() {
        return "beta";
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }
}
