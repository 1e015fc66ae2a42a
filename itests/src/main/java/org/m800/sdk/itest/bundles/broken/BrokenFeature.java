package org.m800.sdk.itest.bundles.broken;

import java.util.List;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.osgi.service.component.annotations.Component;

/** Test feature {@code broken}: the factory of {@code broken.module} always throws. */
@Component(service = FeatureBundle.class, property = {FeatureBundle.PROPERTY_FEATURE + "=broken", "service.ranking:Integer=0"})
public final class BrokenFeature implements FeatureBundle {

    /** The message the factory throws with, so tests can find it in the error. */
    public static final String FAILURE = "broken.module fails on purpose";

    private static final List<ModuleDefinition> MODULES = List.of(ModuleDefinition.of("broken.module", ctx -> {
        throw new IllegalStateException(FAILURE);
    }));

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }
}
