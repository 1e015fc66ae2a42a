package org.m800.sdk.chat.internal;

import java.util.List;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ModuleDefinition;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code chat} feature: the module {@value ChatManager#MODULE}. Registered as a service in OSGi and
 * listed for {@link java.util.ServiceLoader} on a plain class path.
 */
@Component(service = FeatureBundle.class, property = {
        FeatureBundle.PROPERTY_FEATURE + "=" + ChatManager.MODULE,
        "service.ranking:Integer=0" })
public final class ChatFeature implements FeatureBundle {

    private final List<ModuleDefinition> modules = List.of(ModuleDefinition.of(ChatManager.MODULE,
            FeatureManager.DEPENDENCIES, ChatManagerImpl::new));

    @Override
    public String name() {
        return ChatManager.MODULE;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return modules;
    }
}
