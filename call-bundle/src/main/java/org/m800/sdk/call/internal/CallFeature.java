package org.m800.sdk.call.internal;

import java.util.List;

import org.m800.sdk.call.CallManager;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaEngineOptions;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code call} feature: the module {@value CallManager#MODULE} (deps {@code media}, the connection,
 * notifications, the account and the storage). Registered as a service in OSGi and listed for
 * {@link java.util.ServiceLoader} on a plain class path.
 */
@Component(service = FeatureBundle.class, property = {
        FeatureBundle.PROPERTY_FEATURE + "=" + CallManager.MODULE,
        "service.ranking:Integer=0" })
public final class CallFeature implements FeatureBundle {

    private final List<ModuleDefinition> modules = List.of(ModuleDefinition.of(CallManager.MODULE,
            CallManagerImpl.DEPENDENCIES, ctx -> new CallManagerImpl(ctx, () -> MediaEngine.create(
                    MediaEngineOptions.DEFAULTS))));

    @Override
    public String name() {
        return CallManager.MODULE;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return modules;
    }
}
