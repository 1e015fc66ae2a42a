package org.m800.sdk.itest;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeaturesService;
import org.m800.sdk.core.Client;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * Base of the tests in a real Karaf ({@link KarafOptions}): the container with configured clients, and
 * Karaf's services taken once the container has settled.
 *
 * <p>Why "settled": Pax Exam starts the test as soon as its probe is in, while Karaf may still be
 * installing the boot features ({@code m800-sdk-core} and its prerequisite {@code spifly}); that
 * provisioning can refresh bundles, Karaf's features bundle among them, which stops the
 * {@link FeaturesService} a test got before ("executor already terminated"). Karaf registers
 * {@link BootFinished} once the boot features are in, so the tests wait for it, then for no bundle in
 * a transition, and only then look the services up (never {@code @Inject}ed before that). Their own
 * installs pass {@link FeaturesService.Option#NoAutoRefreshBundles}: the SDK's features only add
 * bundles, and a refresh would restart Karaf's features bundle or the test's probe under the test.
 */
public abstract class KarafTestSupport extends ServerTestSupport {

    /** No automatic refresh of bundles already there (see the class comment). */
    protected static final EnumSet<FeaturesService.Option> NO_REFRESH = EnumSet.of(
            FeaturesService.Option.NoAutoRefreshBundles);

    /** @return Karaf with {@code m800-sdk-core} and one configured client per id, with no extra setting */
    protected static List<Option> karafWithClients(String... clientIds) {
        List<Option> options = new ArrayList<>(KarafOptions.karafWithSdkCore());
        for (String id : clientIds) {
            options.addAll(KarafOptions.clientConfiguration(id, Map.of()));
        }
        return options;
    }

    /**
     * Waits (each step at most {@link #TIMEOUT_S}) for Karaf's boot to finish and for no bundle to be
     * starting or stopping, then gives a service of Karaf, looked up now.
     */
    protected <S> S settledService(Class<S> type) throws Exception {
        awaitService(BootFinished.class, null);
        waitUntil("no bundle of Karaf is starting or stopping (now: " + inTransition() + ")",
                () -> inTransition().isEmpty(), TIMEOUT_S);
        return awaitService(type, null);
    }

    /** @return Karaf's FeaturesService, once the container has settled */
    protected FeaturesService featuresService() throws Exception {
        return settledService(FeaturesService.class);
    }

    /** Uninstalls the features after the test, those still installed, in that order, without a refresh. */
    protected void uninstallAfterTest(FeaturesService features, String... names) {
        afterTest(() -> {
            for (String f : names) {
                if (features.isInstalled(features.getFeature(f))) {
                    features.uninstallFeature(f, NO_REFRESH);
                }
            }
        });
    }

    /** Waits for the configured client with that id and for it to be READY. */
    protected Client readyConfiguredClient(String clientId) throws Exception {
        Client client = awaitService(Client.class, "(" + Client.PROPERTY_CLIENT_ID + "=" + clientId + ")");
        awaitReady(client);
        return client;
    }

    /** @return the installed bundle with that symbolic name */
    protected Bundle bundleNamed(String symbolicName) {
        return bundle(symbolicName).orElseThrow(() -> new AssertionError("no bundle " + symbolicName + " in Karaf"));
    }

    /** @return whether a bundle with that symbolic name is installed */
    protected boolean installed(String symbolicName) {
        return bundle(symbolicName).isPresent();
    }

    private Optional<Bundle> bundle(String symbolicName) {
        return Stream.of(bundleContext.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    /** Bundles starting (but not waiting for a lazy activation) or stopping, by symbolic name. */
    private String inTransition() {
        return Stream.of(bundleContext.getBundles())
                .filter(b -> b.getState() == Bundle.STOPPING || (b.getState() == Bundle.STARTING
                        && !Constants.ACTIVATION_LAZY.equals(lazyPolicy(b))))
                .map(Bundle::getSymbolicName).collect(Collectors.joining(", "));
    }

    private static String lazyPolicy(Bundle b) {
        String policy = b.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY);
        return policy == null ? null : policy.split(";")[0].trim();
    }
}
