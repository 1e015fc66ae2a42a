package org.m800.sdk.core.internal;

import java.util.List;

import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.StorageService;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code core} feature: the modules every client needs. Registered as a service in OSGi and
 * listed for {@link java.util.ServiceLoader} on a plain class path.
 */
@Component(service = FeatureBundle.class, property = {
        FeatureBundle.PROPERTY_FEATURE + "=" + FeatureBundle.CORE,
        "service.ranking:Integer=0" })
public final class CoreFeature implements FeatureBundle {

    private static final List<ModuleDefinition> MODULES = List.of(
            ModuleDefinition.of(StorageService.MODULE, ctx -> new FileStorage(ctx.dataDirectory())));

    @Override
    public String name() {
        return CORE;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }
}
