package org.m800.sdk.verification.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.HttpService;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.verification.VerificationManager;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code verification} feature: one module, {@value VerificationManager#MODULE}, built on
 * {@code service.http}. Registered as a service in OSGi and listed for {@link java.util.ServiceLoader}
 * on a plain class path.
 */
@Component(service = FeatureBundle.class, property = {
        FeatureBundle.PROPERTY_FEATURE + "=" + VerificationManager.MODULE,
        "service.ranking:Integer=0" })
public final class VerificationFeature implements FeatureBundle {

    /** The built managers by client id, for the shell (clients of other bundles' factories included). */
    private final Map<String, HttpVerificationManager> managers = new ConcurrentHashMap<>();
    private final List<ModuleDefinition> modules = List.of(ModuleDefinition.of(VerificationManager.MODULE,
            dependencies(), ctx -> {
                HttpVerificationManager m = new HttpVerificationManager(ctx, closed -> managers.remove(ctx.clientId(), closed));
                managers.put(ctx.clientId(), m);
                return m;
            }));

    private static List<String> dependencies() {
        List<String> deps = new java.util.ArrayList<>(FeatureManager.DEPENDENCIES);
        deps.add(HttpService.MODULE);
        return List.copyOf(deps);
    }

    /** @return the manager this feature built for the client, if it is built */
    public Optional<HttpVerificationManager> manager(String clientId) {
        return Optional.ofNullable(managers.get(clientId));
    }

    @Override
    public String name() {
        return VerificationManager.MODULE;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return modules;
    }
}
