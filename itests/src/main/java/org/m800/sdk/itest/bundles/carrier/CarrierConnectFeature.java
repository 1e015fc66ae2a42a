package org.m800.sdk.itest.bundles.carrier;

import java.util.List;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.bundles.loopback.LoopbackConnect;
import org.osgi.service.component.annotations.Component;

/**
 * Test feature {@code carrier-connect}: a carrier's own {@code service.connect} (the loopback's
 * {@link LoopbackConnect}, packed privately), ranked -10 and with the property {@code vendor=acme}.
 * Ranked below the core, it replaces nothing by ranking: only a client whose configuration selects it
 * ({@code overrides=service.connect=carrier-connect} or {@code service.connect=(vendor=acme)}) uses it.
 */
@Component(service = FeatureBundle.class, property = {FeatureBundle.PROPERTY_FEATURE + "=" + CarrierConnectFeature.NAME,
        "service.ranking:Integer=-10", "vendor=acme"})
public final class CarrierConnectFeature implements FeatureBundle {

    /** The feature's name. */
    public static final String NAME = "carrier-connect";

    private static final List<ModuleDefinition> MODULES = List.of(
            ModuleDefinition.of(ConnectService.MODULE, LoopbackConnect::new));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }
}
