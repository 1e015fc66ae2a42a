package org.m800.sdk.contacts.internal;

import java.util.List;
import java.util.Map;

import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.phone.internal.PhoneNumbers;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.StorageService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code contacts} feature: the module {@value ContactManager#MODULE}. Registered as a service in
 * OSGi (configured by the PID {@value ContactManager#CONFIGURATION_PID}, key
 * {@value ContactManager#DEFAULT_REGION_KEY}, changed live) and listed for
 * {@link java.util.ServiceLoader} on a plain class path (system property
 * {@code m800.contacts.defaultRegion}).
 */
@Component(service = FeatureBundle.class, configurationPid = ContactManager.CONFIGURATION_PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {
            FeatureBundle.PROPERTY_FEATURE + "=" + ContactManager.MODULE,
            "service.ranking:Integer=0" })
@Designate(ocd = ContactsConfiguration.class)
public final class ContactsFeature implements FeatureBundle {
    private static final Logger LOG = LoggerFactory.getLogger(ContactsFeature.class);
    static final String REGION_PROPERTY = "m800.contacts.defaultRegion";

    private volatile String defaultRegion;
    private final List<ModuleDefinition> modules = List.of(ModuleDefinition.of(ContactManager.MODULE,
            List.of(ConnectService.MODULE, NotificationService.MODULE, AccountManager.MODULE, StorageService.MODULE),
            ctx -> new ContactManagerImpl(ctx, () -> defaultRegion, closed -> { })));

    /** Outside OSGi: the default region from the system property. */
    public ContactsFeature() {
        defaultRegion = checked(System.getProperty(REGION_PROPERTY));
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object r = properties.get(ContactManager.DEFAULT_REGION_KEY);
        defaultRegion = checked(r == null ? System.getProperty(REGION_PROPERTY) : r.toString());
    }

    private static String checked(String region) {
        try {
            return PhoneNumbers.region(region);
        } catch (RuntimeException e) {
            LOG.error("Ignoring the contacts configuration: {}", e.getMessage());
            return null;
        }
    }

    /** @return the configured default region, or null */
    String defaultRegion() {
        return defaultRegion;
    }

    @Override
    public String name() {
        return ContactManager.MODULE;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return modules;
    }
}
