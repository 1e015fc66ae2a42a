package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.FeatureBundle;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** The framework the other tests rely on: every bundle active, the core's services present. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkIT extends M800TestSupport {

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        assertEquals(Bundle.ACTIVE, coreBundle().getState());
    }

    @Test
    public void coreRegistersClientFactoryAndCoreFeature() throws Exception {
        ClientFactory factory = clientFactory();
        ServiceReference<?> factoryRef = bundleContext.getServiceReference(ClientFactory.class);
        assertEquals("ClientFactory comes from the core bundle", coreBundle(), factoryRef.getBundle());
        assertTrue(factory.clients().isEmpty());
        awaitService(FeatureBundle.class, "(" + FeatureBundle.PROPERTY_FEATURE + "=" + FeatureBundle.CORE + ")");
        var core = services(FeatureBundle.class, "(" + FeatureBundle.PROPERTY_FEATURE + "=" + FeatureBundle.CORE + ")");
        assertEquals(1, core.size());
        FeatureBundle feature = bundleContext.getService(core.iterator().next());
        try {
            assertEquals(FeatureBundle.CORE, feature.name());
            assertTrue("core defines service.storage: " + feature.modules(),
                    feature.modules().stream().anyMatch(m -> m.name().equals("service.storage")));
        } finally {
            bundleContext.ungetService(core.iterator().next());
        }
    }
}
