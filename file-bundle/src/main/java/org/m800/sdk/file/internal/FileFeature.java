package org.m800.sdk.file.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.file.FileManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code file} feature: the module {@value FileManager#MODULE}. Registered as a service in OSGi
 * (configured by the PID {@value FileManager#CONFIGURATION_PID}; a change applies to the modules built
 * after it) and listed for {@link java.util.ServiceLoader} on a plain class path (system properties
 * {@code m800.file.<key>}). While it is active, the TwelveMonkeys image readers are registered with
 * ImageIO.
 */
@Component(service = FeatureBundle.class, configurationPid = FileManager.CONFIGURATION_PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {
            FeatureBundle.PROPERTY_FEATURE + "=" + FileManager.MODULE,
            "service.ranking:Integer=0" })
public final class FileFeature implements FeatureBundle {

    private static final Logger LOG = LoggerFactory.getLogger(FileFeature.class);

    private volatile FileSettings settings;
    private ImagePlugins plugins;
    private final List<ModuleDefinition> modules = List.of(ModuleDefinition.of(FileManager.MODULE,
            Stream.concat(FeatureManager.DEPENDENCIES.stream(), Stream.of(StorageService.MODULE, ChatManager.MODULE))
                    .toList(),
            ctx -> new FileManagerImpl(ctx, settings)));

    /** Outside OSGi: settings from the system properties; the image readers are on the class path. */
    public FileFeature() {
        settings = FileSettings.fromSystemProperties(LOG::error);
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        settings = FileSettings.from(properties, m -> LOG.error("Ignoring a file setting: {}", m));
        synchronized (this) {
            if (plugins == null) {
                plugins = new ImagePlugins();
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (plugins != null) {
                plugins.close();
                plugins = null;
            }
        }
    }

    @Override
    public String name() {
        return FileManager.MODULE;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return modules;
    }
}
