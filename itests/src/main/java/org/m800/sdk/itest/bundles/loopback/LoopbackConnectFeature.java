package org.m800.sdk.itest.bundles.loopback;

import java.util.List;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.osgi.service.component.annotations.Component;

/**
 * Test feature {@code loopback}: defines {@code service.connect} again, ranked 10, with a
 * {@link LoopbackConnect} that answers locally. While the bundle is active it replaces the core's
 * WebSocket connection of every client; when it leaves, the default comes back.
 */
@Component(service = FeatureBundle.class, property = {FeatureBundle.PROPERTY_FEATURE + "=loopback",
        "service.ranking:Integer=10"})
public final class LoopbackConnectFeature implements FeatureBundle {

    private static final List<ModuleDefinition> MODULES = List.of(
            ModuleDefinition.of(ConnectService.MODULE, ctx -> new LoopbackConnect(ctx)));

    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }
}
