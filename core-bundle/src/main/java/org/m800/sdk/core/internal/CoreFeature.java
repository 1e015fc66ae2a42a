package org.m800.sdk.core.internal;

import java.util.List;

import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.HttpService;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.internal.account.AccountManagerImpl;
import org.m800.sdk.core.internal.connect.EventRouter;
import org.m800.sdk.core.internal.connect.JettyHttpService;
import org.m800.sdk.core.internal.connect.WebSocketConnectService;
import org.m800.sdk.core.internal.media.MediaService;
import org.m800.sdk.core.internal.transport.Transports;
import org.m800.sdk.media.MediaManager;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code core} feature: the communication layer, the account and the media module. Registered as a service in
 * OSGi and listed for {@link java.util.ServiceLoader} on a plain class path. Its modules share one
 * Jetty transport, started while some client uses it.
 */
@Component(service = FeatureBundle.class, property = {
        FeatureBundle.PROPERTY_FEATURE + "=" + FeatureBundle.CORE,
        "service.ranking:Integer=0" })
public final class CoreFeature implements FeatureBundle {

    /**
     * The module of the call servers' connection ({@code /v1/call}, {@link ClientConfig#callServers()}):
     * a second {@link ConnectService} that follows the IM connection's log-in (deps {@code service.storage},
     * {@code service.connect}); with no call server, or a {@code service.connect} of another provider, it
     * never connects. Its events are the user's call events ({@code call.*}).
     */
    public static final String CALL_CONNECT = "service.connect.call";

    private final Transports transports = new Transports();
    private final List<ModuleDefinition> modules = List.of(
            ModuleDefinition.of(StorageService.MODULE, ctx -> new FileStorage(ctx.dataDirectory())),
            ModuleDefinition.of(HttpService.MODULE, ctx -> new JettyHttpService(ctx, transports.forConfig(ctx.config()))),
            ModuleDefinition.of(ConnectService.MODULE, List.of(StorageService.MODULE),
                    ctx -> new WebSocketConnectService(ctx, transports.forConfig(ctx.config()))),
            ModuleDefinition.of(CALL_CONNECT, List.of(StorageService.MODULE, ConnectService.MODULE), ctx -> {
                WebSocketConnectService call = new WebSocketConnectService(ctx, transports.forConfig(ctx.config()),
                        ctx.config().callServers(), "call.cursor.");
                if (ctx.dependency(ConnectService.MODULE, ConnectService.class) instanceof WebSocketConnectService im) {
                    im.addFollower(call);
                }
                return call;
            }),
            ModuleDefinition.of(NotificationService.MODULE, List.of(ConnectService.MODULE),
                    ctx -> new EventRouter(ctx.dependency(ConnectService.MODULE, ConnectService.class))),
            ModuleDefinition.of(AccountManager.MODULE, List.of(HttpService.MODULE, StorageService.MODULE,
                    ConnectService.MODULE, NotificationService.MODULE), ctx -> new AccountManagerImpl(ctx)),
            // the seed's media module: deps service.notification (device and call events reach it from there)
            ModuleDefinition.of(MediaManager.MODULE, List.of(NotificationService.MODULE), MediaService::new));

    @Override
    public String name() {
        return CORE;
    }

    @Override
    public List<ModuleDefinition> modules() {
        return modules;
    }

    @Deactivate
    private void deactivate() {
        transports.close();
    }
}
