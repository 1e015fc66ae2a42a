package org.m800.sdk.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One user's session with the M800 SDK. A client owns its own module graph: it follows the feature
 * bundles that are available, builds each module once its dependencies exist (in dependency order),
 * swaps a module when a higher-ranked provider arrives or leaves, and closes instances (reverse
 * order) when their provider goes. Many clients can live in one JVM, each with its own instances.
 *
 * <p>Create one with a {@link ClientFactory} (an OSGi service, or {@link ClientFactory#standalone()}
 * outside OSGi). All methods are thread-safe. Listeners are called as {@link ClientListener}
 * describes.
 *
 * <p>In OSGi a client also publishes its readiness as {@code org.osgi.service.condition.Condition}
 * services: {@code osgi.condition.id=}{@value #CONDITION_READY} while it is ready, and
 * {@code osgi.condition.id=}{@value #CONDITION_FEATURE_PREFIX}{@code <feature>} while a feature is
 * ready, each with {@value #PROPERTY_CLIENT_ID}{@code =<clientId>}; a Declarative Services
 * component can require them instead of listening.
 */
public interface Client extends AutoCloseable {

    /** Service property naming the client of a {@code Client} or condition service. */
    String PROPERTY_CLIENT_ID = "m800.client.id";

    /** Condition id published while the client is ready. */
    String CONDITION_READY = "m800.ready";

    /** Prefix of the condition id published while a feature is ready; the feature name follows. */
    String CONDITION_FEATURE_PREFIX = "m800.feature.";

    /** @return the client's id ({@link ClientConfig#clientId()}) */
    String id();

    /** @return the application metadata the client was created with */
    AppMeta appMeta();

    /** @return the configuration the client was created with */
    ClientConfig config();

    /** @return whether every module of the {@code core} feature is built */
    boolean isReady();

    /** @return whether {@link #close()} was called */
    boolean isClosed();

    /**
     * Subscribes a listener. If the client is ready, a {@link ClientEvent#READY} listener is told at
     * once; a {@link ClientEvent#FEATURE_READY} listener is told at once of each ready feature.
     *
     * @return a handle that unsubscribes
     * @throws M800Exception {@link ErrorCode#ILLEGAL_STATE} if the client is closed
     */
    <T> Subscription on(ClientEvent<T> event, ClientListener<? super T> listener);

    /**
     * Adds a feature defined in code, ranked above every bundle. {@code overrides} replace modules
     * by name, ranked above the feature's own definitions; they may also replace modules of other
     * features. The feature's modules are built as their dependencies allow.
     *
     * @return completes with the feature name when all its modules are built; fails with
     *         {@link ErrorCode#MODULE_FAILED} or {@link ErrorCode#DEPENDENCY_CYCLE} if a module of the
     *         feature cannot be built, or with {@link ErrorCode#TIMEOUT} after
     *         {@link ClientConfig#featureTimeout()} if a dependency never arrives (the feature then
     *         stays added and pending); with {@link ErrorCode#INVALID_ARGUMENT} for a {@code null}
     *         argument or a feature of that name already added in code, and {@link ErrorCode#ILLEGAL_STATE}
     *         if the client is closed (nothing added). Never throws (since 1.2; 1.1 threw those two).
     */
    CompletableFuture<String> addFeature(FeatureBundle feature, List<ModuleDefinition> overrides);

    /** {@link #addFeature(FeatureBundle, List)} without overrides. */
    default CompletableFuture<String> addFeature(FeatureBundle feature) {
        return addFeature(feature, List.of());
    }

    /**
     * Installs and starts the OSGi bundle at {@code location} (a URL such as {@code file:/...}) in the
     * framework the client lives in, and waits for the feature it registers. The bundle stays
     * installed for every client of the framework until {@link #removeFeature(String)} or an
     * administrator removes it. If it was installed already, it is started and used as it is. Returns
     * at once: the install (reading the jar, which may be a download, and starting the bundle) runs on an
     * SDK thread of its own, one install at a time for all the clients of the framework, never on the
     * caller's thread or the event threads.
     *
     * @return completes with the name of the bundle's feature when it is ready for this client; fails
     *         with {@link ErrorCode#INVALID_ARGUMENT} if the location is not a bundle or cannot be
     *         resolved or started (the bundle is uninstalled again), {@link ErrorCode#MODULE_FAILED}
     *         if a factory throws, {@link ErrorCode#TIMEOUT} if no feature is ready within
     *         {@link ClientConfig#featureTimeout()}, {@link ErrorCode#ILLEGAL_STATE} outside an OSGi
     *         framework or if the client is closed. Never throws (since 1.2; 1.1 threw for a blank
     *         location, outside OSGi and when closed).
     */
    CompletableFuture<String> addFeature(String location);

    /**
     * Removes a feature: one added in code is dropped; one whose bundle this client installed with
     * {@link #addFeature(String)} is uninstalled from the framework. Its modules are torn down and
     * {@link ClientEvent#FEATURE_UNAVAILABLE} fires if it was ready.
     *
     * @throws M800Exception {@link ErrorCode#NOT_FOUND} if the client knows no such feature;
     *         {@link ErrorCode#INVALID_ARGUMENT} for {@code core} or for a feature provided by a
     *         bundle this client did not install (stop that bundle instead)
     */
    void removeFeature(String name);

    /**
     * @return the built instance of the named module, or empty if it is not built
     */
    Optional<Object> module(String name);

    /**
     * @return the built instance of the named module if it has that type, else empty
     */
    <T> Optional<T> module(String name, Class<T> type);

    /**
     * @return a built module instance of that type (the first in build order if several are), or empty
     */
    <T> Optional<T> module(Class<T> type);

    /**
     * Like {@link #module(Class)}, for code that cannot go on without the module.
     *
     * @throws M800Exception {@link ErrorCode#ILLEGAL_STATE} if the client is closed (since 1.2);
     *         {@link ErrorCode#FEATURE_UNAVAILABLE} if no built module has that type
     */
    default <T> T require(Class<T> type) {
        if (isClosed()) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "client " + id() + " is closed; no module of type "
                    + type.getName() + " is available");
        }
        return module(type).orElseThrow(() -> new M800Exception(ErrorCode.FEATURE_UNAVAILABLE,
                "no module of type " + type.getName() + " is ready in client " + id() + "; see diagnostics()"));
    }

    /**
     * Waits for {@link ClientEvent#READY} without a listener.
     *
     * @return completes with this client when every module of {@code core} is built (at once if it is
     *         ready); fails with {@link ErrorCode#TIMEOUT} after {@link ClientConfig#featureTimeout()}
     *         (the message quotes {@link #diagnostics()}), {@link ErrorCode#MODULE_FAILED} or
     *         {@link ErrorCode#DEPENDENCY_CYCLE} if a core module cannot be built, and
     *         {@link ErrorCode#ILLEGAL_STATE} if the client is or gets closed. Never throws.
     * @since 1.2
     */
    default CompletableFuture<Client> ready() {
        return featureReady(FeatureBundle.CORE).thenApply(name -> this);
    }

    /**
     * Waits for {@link ClientEvent#FEATURE_READY} of one feature without a listener.
     *
     * @param feature a feature name such as {@code chat}
     * @return completes with the name when every module of the feature is built (at once if it is
     *         ready); fails as {@link #ready()} does, and with {@link ErrorCode#INVALID_ARGUMENT} for a
     *         blank name. Never throws.
     * @since 1.2
     */
    default CompletableFuture<String> featureReady(String feature) {
        CompletableFuture<String> result = new CompletableFuture<>();
        if (feature == null || feature.isBlank()) {
            result.completeExceptionally(M800Exception.invalidArgument("feature name must not be blank"));
            return result;
        }
        if (isClosed()) {
            result.completeExceptionally(new M800Exception(ErrorCode.ILLEGAL_STATE, "client " + id() + " is closed"));
            return result;
        }
        Subscription s = on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(feature)) {
                result.complete(name);
            }
        });
        long millis = config().featureTimeout().toMillis();
        return result.orTimeout(millis, java.util.concurrent.TimeUnit.MILLISECONDS).handle((name, failure) -> {
            s.close();
            if (failure instanceof java.util.concurrent.TimeoutException) {
                throw new M800Exception(ErrorCode.TIMEOUT, "feature " + feature + " of client " + id()
                        + " was not ready within " + millis + " ms (featureTimeout); see diagnostics(): "
                        + diagnostics().describe().strip());
            }
            if (failure != null) {
                throw failure instanceof M800Exception m ? m : new M800Exception(ErrorCode.ILLEGAL_STATE,
                        String.valueOf(failure), failure);
            }
            return name;
        });
    }

    /**
     * Waits until the client's {@link ConnectService} is in a state, without a listener.
     *
     * @param state the state to wait for
     * @param timeout how long to wait
     * @return completes with the state when the connection is in it (at once if it is); fails with
     *         {@link ErrorCode#TIMEOUT} naming the states seen, {@link ErrorCode#FEATURE_UNAVAILABLE} if
     *         the client has no connection module, {@link ErrorCode#ILLEGAL_STATE} if it is closed,
     *         {@link ErrorCode#INVALID_ARGUMENT} for a null or non-positive argument. Never throws.
     * @since 1.2
     */
    default CompletableFuture<ConnectionState> connectionState(ConnectionState state, java.time.Duration timeout) {
        CompletableFuture<ConnectionState> result = new CompletableFuture<>();
        if (state == null || timeout == null || timeout.isNegative() || timeout.isZero()) {
            result.completeExceptionally(M800Exception.invalidArgument("a state and a positive timeout are required"));
            return result;
        }
        ConnectService connect;
        try {
            connect = require(ConnectService.class);
        } catch (M800Exception e) {
            result.completeExceptionally(e);
            return result;
        }
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Subscription s = connect.onStateChange(e -> {
            seen.add(e.newState() + " (" + e.reason() + ")");
            if (e.newState() == state) {
                result.complete(state);
            }
        });
        if (connect.state() == state) {
            result.complete(state);
        }
        return result.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((reached, failure) -> {
                    s.close();
                    if (failure != null) {
                        throw new M800Exception(ErrorCode.TIMEOUT, "the connection of client " + id() + " was not "
                                + state + " within " + timeout.toMillis() + " ms; it is " + connect.state()
                                + ", states seen: " + seen);
                    }
                    return reached;
                });
    }

    /** @return a snapshot of every known feature and module with its state and what it waits for */
    ClientDiagnostics diagnostics();

    /**
     * Closes every module instance (reverse build order), fires {@link ClientEvent#FEATURE_UNAVAILABLE}
     * for each ready feature, stops following feature bundles and withdraws the client's services.
     * Idempotent. Bundles installed by {@link #addFeature(String)} stay installed.
     */
    @Override
    void close();
}
