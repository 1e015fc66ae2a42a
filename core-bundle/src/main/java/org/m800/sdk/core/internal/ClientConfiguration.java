package org.m800.sdk.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of a client's factory configuration ({@value ManagedClientComponent#FACTORY_PID}), as
 * Metatype describes them to Karaf's {@code config:} commands and the Felix web console. The client
 * reads the configuration with {@code AppMeta.fromMap} and {@code ClientConfig.fromMap}, which check
 * every value; the defaults here are the documented ones of {@code ClientConfig}. Secrets are
 * {@link AttributeType#PASSWORD}, so tools do not show them.
 */
@ObjectClassDefinition(id = ManagedClientComponent.FACTORY_PID, name = "M800 SDK client",
        description = "One M800 client per configuration: the application's metadata and where and how the client"
                + " connects.")
@interface ClientConfiguration {

    @AttributeDefinition(name = "Client id", required = false, description = "Names the client in diagnostics,"
            + " services and logs: 1 to 128 letters, digits, '.', '_' or '-'. Default: the configuration's name.")
    String clientId();

    @AttributeDefinition(name = "Carrier", description = "The carrier the application belongs to.")
    String carrier();

    @AttributeDefinition(name = "Application identifier", description = "The application's identifier, such as"
            + " com.example.chat.")
    String applicationIdentifier();

    @AttributeDefinition(name = "Application key", description = "The application's key, issued with its secret.")
    String applicationKey();

    @AttributeDefinition(name = "Application secret", type = AttributeType.PASSWORD,
            description = "The application's secret; never logged.")
    String applicationSecret();

    @AttributeDefinition(name = "Developer key", description = "The developer's key.")
    String developerKey();

    @AttributeDefinition(name = "Application version", description = "The application's version, such as 1.0.")
    String applicationVersion();

    @AttributeDefinition(name = "IM servers", description = "WebSocket URIs (ws:// or wss://) of the IM servers,"
            + " tried in order; at least one.")
    String[] imServers();

    @AttributeDefinition(name = "Sign-up servers", required = false, description = "HTTP URIs of the sign-up"
            + " servers, tried in order.")
    String[] signUpServers();

    @AttributeDefinition(name = "Verification servers", required = false, description = "HTTP URIs of the"
            + " phone-number verification servers, tried in order.")
    String[] verificationServers();

    @AttributeDefinition(name = "Call servers", required = false, description = "WebSocket URIs of the"
            + " call-signalling servers, tried in order.")
    String[] callServers();

    @AttributeDefinition(name = "File servers", required = false, description = "HTTP URIs of the file"
            + " servers (uploads and downloads), tried in order. Default: the sign-up servers.")
    String[] fileServers();

    @AttributeDefinition(name = "Data directory", required = false, description = "Where the client keeps its"
            + " durable state. Default: <user.home>/.m800/<applicationIdentifier>/<clientId>.")
    String dataDirectory();

    @AttributeDefinition(name = "Request timeout", required = false, description = "How long a request waits"
            + " for its answer: milliseconds, 500ms, 10s, 2m or PT10S.")
    String requestTimeout() default "10s";

    @AttributeDefinition(name = "Connect timeout", required = false, description = "How long one connection"
            + " attempt may take.")
    String connectTimeout() default "5s";

    @AttributeDefinition(name = "Heartbeat interval", required = false, description = "How often an idle"
            + " connection is probed.")
    String heartbeatInterval() default "10s";

    @AttributeDefinition(name = "Heartbeat timeout", required = false, description = "How long without any"
            + " frame before a connection counts as dead; longer than the heartbeat interval.")
    String heartbeatTimeout() default "25s";

    @AttributeDefinition(name = "Reconnect minimum delay", required = false, description = "The first"
            + " reconnect back-off.")
    String reconnectMinDelay() default "250ms";

    @AttributeDefinition(name = "Reconnect maximum delay", required = false, description = "The largest"
            + " reconnect back-off.")
    String reconnectMaxDelay() default "30s";

    @AttributeDefinition(name = "Offline queue limit", required = false, min = "0", description = "How many"
            + " requests may wait while offline.")
    int offlineQueueLimit() default 1000;

    @AttributeDefinition(name = "Feature timeout", required = false, description = "How long waiting for a"
            + " feature to become ready may take.")
    String featureTimeout() default "30s";

    @AttributeDefinition(name = "Trust store", required = false, description = "A PKCS12 (or .jks) file of"
            + " certificates to trust for wss:// and https:// servers. Default: the JVM's.")
    String trustStore();

    @AttributeDefinition(name = "Trust store password", required = false, type = AttributeType.PASSWORD,
            description = "The trust store's password; never logged.")
    String trustStorePassword();

    @AttributeDefinition(name = "Session key store", required = false, description = "A PKCS12 (or .jks) key"
            + " store holding the AES key that encrypts the stored login session. Default: none (the session is"
            + " stored unencrypted in an owner-only file).")
    String sessionKeyStore();

    @AttributeDefinition(name = "Session key store password", required = false, type = AttributeType.PASSWORD,
            description = "The password of the session key store and of its key; never logged.")
    String sessionKeyStorePassword();

    @AttributeDefinition(name = "Session key alias", required = false, description = "The alias of the AES key"
            + " in the session key store.")
    String sessionKeyAlias() default "m800-session";

    @AttributeDefinition(name = "Overrides", required = false, description = "Per-client overrides: entries"
            + " <module>=<provider>, where the provider is the m800.feature name of a feature bundle or an LDAP"
            + " filter over its service properties, e.g. service.connect=carrier-connect or media=(vendor=acme)."
            + " The module waits while no selected bundle is present.")
    String[] overrides();
}
