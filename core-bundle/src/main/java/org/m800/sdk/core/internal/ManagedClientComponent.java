package org.m800.sdk.core.internal;

import java.util.Hashtable;
import java.util.Map;

import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.M800Exception;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client per factory configuration of PID {@value #FACTORY_PID} (for example a Karaf
 * {@code etc/org.m800.sdk.client-demo.cfg} file), registered as a {@link Client} service. The
 * configuration's properties are the {@link AppMeta} and {@link ClientConfig} keys; without a
 * {@code clientId} the configuration's name is used; without a {@code dataDirectory}, if the framework
 * property {@value #DATA_ROOT} is set (the runtime sets it to {@code <home>/clients}), the client keeps
 * its data in {@code <dataRoot>/<clientId>}. Changing the configuration re-creates the client;
 * deleting it closes the client. A configuration with a bad value creates no client and logs which
 * key is wrong.
 */
@Component(configurationPid = ManagedClientComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = ClientConfiguration.class, factory = true)
public final class ManagedClientComponent {

    /** The factory PID. */
    public static final String FACTORY_PID = "org.m800.sdk.client";

    /** Framework property: the folder under which clients without a dataDirectory keep their data. */
    public static final String DATA_ROOT = "m800.defaults.dataRoot";

    private static final Logger LOG = LoggerFactory.getLogger(ManagedClientComponent.class);

    private final Client client;
    private final ServiceRegistration<Client> registration;

    /** Called by Declarative Services. */
    @Activate
    public ManagedClientComponent(BundleContext context, Map<String, Object> properties,
            @Reference ClientFactory factory) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        Client created = null;
        try {
            Map<String, Object> withId = new java.util.HashMap<>(properties);
            withId.putIfAbsent(ClientConfig.CLIENT_ID, clientIdFrom(pid));
            String dataRoot = context.getProperty(DATA_ROOT);
            if (dataRoot != null && !dataRoot.isBlank() && withId.get(ClientConfig.DATA_DIRECTORY) == null) {
                withId.put(ClientConfig.DATA_DIRECTORY, java.nio.file.Path.of(dataRoot.strip(),
                        String.valueOf(withId.get(ClientConfig.CLIENT_ID)).strip()).toString());
            }
            created = factory.create(AppMeta.fromMap(withId), ClientConfig.fromMap(withId));
        } catch (M800Exception e) {
            // a bad configuration makes no client; the component stays idle until the configuration changes
            LOG.error("configuration {} does not create a client: {} (its keys: {})", pid, e.getMessage(),
                    new java.util.TreeSet<>(properties.keySet()));
        }
        this.client = created;
        if (created == null) {
            this.registration = null;
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Client.PROPERTY_CLIENT_ID, client.id());
        props.put(Constants.SERVICE_PID + ".source", pid);
        this.registration = context.registerService(Client.class, client, props);
        LOG.info("configuration {} created client {}", pid, client.id());
    }

    /** The part of a factory configuration's PID that names it, made into a valid client id. */
    static String clientIdFrom(String pid) {
        String name = pid;
        int tilde = pid.lastIndexOf('~');
        if (tilde >= 0) {
            name = pid.substring(tilde + 1);
        } else if (pid.startsWith(FACTORY_PID + ".")) {
            name = pid.substring(FACTORY_PID.length() + 1);
        }
        name = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (name.isEmpty()) {
            name = "client";
        }
        return name.length() > 128 ? name.substring(0, 128) : name;
    }

    @Deactivate
    private void deactivate() {
        if (client == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework withdrew it while stopping the bundle
        }
        client.close();
    }
}
