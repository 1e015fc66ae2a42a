package org.m800.sdk.benchmarks;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Subscription;

/** How the workloads use the SDK: only its public API, as an application would. */
final class Sdk {

    private Sdk() {
    }

    /** A client configuration pointing at one server, with its own data folder. */
    static ClientConfig config(String clientId, URI im, URI http, Path dataDirectory) {
        return ClientConfig.builder().clientId(clientId).imServers(java.util.List.of(im))
                .signUpServers(java.util.List.of(http)).dataDirectory(dataDirectory).build();
    }

    /** @return completes with the client when it is READY (at once if it is) */
    static CompletableFuture<Client> ready(Client client) {
        CompletableFuture<Client> ready = new CompletableFuture<>();
        Subscription s = client.on(ClientEvent.READY, ready::complete);
        ready.whenComplete((c, e) -> s.close());
        return ready;
    }

    /**
     * @return completes when the client's connection is CONNECTED; fails if it falls back to
     *         DISCONNECTED after trying (credentials refused) or is closed
     */
    static CompletableFuture<Void> connected(Client client) {
        ConnectService connect = client.require(ConnectService.class);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Subscription s = connect.onStateChange(e -> {
            if (e.newState() == ConnectionState.CONNECTED) {
                done.complete(null);
            } else if (e.newState() == ConnectionState.CLOSED
                    || (e.newState() == ConnectionState.DISCONNECTED && e.oldState() != ConnectionState.DISCONNECTED)) {
                done.completeExceptionally(new M800Exception(org.m800.sdk.core.ErrorCode.NETWORK,
                        "client " + client.id() + " went " + e.newState() + ": " + e.reason()));
            }
        });
        done.whenComplete((v, e) -> s.close());
        return done;
    }

    /** @return completes when the client is READY and then CONNECTED (a client restored from a stored session) */
    static CompletableFuture<Void> readyAndConnected(Client client) {
        return ready(client).thenCompose(c -> {
            // without a stored session it stays DISCONNECTED without trying: say so instead of waiting
            if (!c.require(AccountManager.class).isLoggedIn()) {
                return CompletableFuture.failedFuture(new CorrectnessException("client " + c.id()
                        + " has no stored session (an earlier run's client was logged out); delete the --state "
                        + "folder to sign up afresh"));
            }
            return connected(c);
        });
    }

    /** @return completes when the client's feature of that name is ready (at once if it is) */
    static CompletableFuture<Client> featureReady(Client client, String feature) {
        CompletableFuture<Client> ready = new CompletableFuture<>();
        Subscription s = client.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(feature)) {
                ready.complete(client);
            }
        });
        ready.whenComplete((c, e) -> s.close());
        return ready;
    }
}
