package org.m800.sdk.itest.bundles.alphaalt;

import java.util.List;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.api.Tracked;
import org.osgi.service.component.annotations.Component;

/**
 * An alternate provider of feature {@code alpha}: defines {@code alpha.greeter} again, ranked 10, so
 * it replaces the default bundle's module while it is present.
 */
@Component(service = FeatureBundle.class, property = {FeatureBundle.PROPERTY_FEATURE + "=alpha", "service.ranking:Integer=10"})
public final class AlphaAltFeature implements FeatureBundle {

    private static final List<ModuleDefinition> MODULES = List.of(
            ModuleDefinition.of("alpha.greeter", List.of("service.storage"), ctx -> new Tracked("alpha-alt", ctx)));

    @Override
    public String name() {
        return "alpha";
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }
}
