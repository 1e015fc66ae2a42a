package org.m800.sdk.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientListener;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client: one module graph, changed under one lock by provider arrivals and departures and by
 * API calls; every consequence that reaches application code (events, future completions) is queued
 * on the client's serial executor and runs after the lock is released.
 */
final class ClientImpl implements Client, FeatureSource.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ClientImpl.class);

    private final AppMeta appMeta;
    private final ClientConfig config;
    private final ClientEnvironment env;
    private final Consumer<ClientImpl> onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final ModuleGraph graph;
    private final SerialExecutor serial;
    private final EventBus bus;
    private final Map<String, List<Provider>> codeFeatures = new LinkedHashMap<>();
    private final Set<Long> installedBundles = new HashSet<>();
    private final List<FeatureWaiter> waiters = new ArrayList<>();
    private long sequence;
    private volatile boolean closed;
    private volatile boolean ready;
    private AutoCloseable following;

    ClientImpl(AppMeta appMeta, ClientConfig config, ClientEnvironment env, Consumer<ClientImpl> onClose) {
        this.appMeta = appMeta;
        this.config = config;
        this.env = env;
        this.onClose = onClose;
        this.graph = new ModuleGraph(config.clientId(),
                (definition, deps) -> definition.factory().create(new ModuleContextImpl(this, definition, deps)),
                ModuleSelector.of(config));
        this.serial = new SerialExecutor(env.threads().pool());
        this.bus = new EventBus(this, serial, env.readiness().apply(config.clientId()));
    }

    /** Adds the constructor's overrides and starts following feature bundles. */
    void start(List<ModuleDefinition> overrides) {
        lock.lock();
        try {
            if (!overrides.isEmpty()) {
                graph.add(new Provider(null, overrides, Rank.code(Rank.CODE_OVERRIDE, ++sequence),
                        "overrides given to the client", -1));
            }
        } finally {
            lock.unlock();
        }
        AutoCloseable handle = env.features().follow(id(), this);
        lock.lock();
        try {
            following = handle;
            apply(graph.reconcile());
        } finally {
            lock.unlock();
        }
        LOG.info("client {} started for {} / {}", id(), appMeta.carrier(), appMeta.applicationIdentifier());
    }

    // ---- FeatureSource.Listener: framework threads ----

    @Override
    public void added(Provider provider) {
        mutate(() -> graph.add(provider));
    }

    @Override
    public void modified(Provider old, Provider updated) {
        mutate(() -> {
            graph.remove(old);
            graph.add(updated);
        });
    }

    @Override
    public void removed(Provider provider) {
        mutate(() -> graph.remove(provider));
    }

    @Override
    public void rejected(M800Exception reason) {
        publish(ClientEvent.ERROR, reason);
    }

    private void mutate(Runnable change) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            change.run();
            apply(graph.reconcile());
        } finally {
            lock.unlock();
        }
    }

    /** Queues the events of one reconciliation and settles waiters. Caller holds the lock. */
    private void apply(GraphChanges changes) {
        changes.errors.forEach(e -> bus.publish(ClientEvent.ERROR, e));
        changes.unavailable.forEach(f -> bus.publish(ClientEvent.FEATURE_UNAVAILABLE, f));
        if (changes.ready.contains(FeatureBundle.CORE)) {
            bus.publish(ClientEvent.FEATURE_READY, FeatureBundle.CORE);
        }
        ready = graph.isCoreReady();
        if (changes.becameReady) {
            bus.publish(ClientEvent.READY, (Client) this);
            LOG.info("client {} is ready", id());
        }
        changes.ready.stream().filter(f -> !f.equals(FeatureBundle.CORE))
                .forEach(f -> bus.publish(ClientEvent.FEATURE_READY, f));
        settleWaiters();
    }

    private void settleWaiters() {
        for (Iterator<FeatureWaiter> it = waiters.iterator(); it.hasNext();) {
            FeatureWaiter w = it.next();
            Set<String> features = featuresOf(w);
            if (features.isEmpty()) {
                continue;
            }
            if (features.stream().allMatch(graph::isReady)) {
                it.remove();
                settle(w, features.iterator().next(), null);
                continue;
            }
            for (String f : features) {
                Optional<M800Exception> failure = graph.blockingFailure(f);
                if (failure.isPresent()) {
                    it.remove();
                    settle(w, null, failure.get());
                    break;
                }
            }
        }
    }

    private Set<String> featuresOf(FeatureWaiter w) {
        if (w.feature != null) {
            return Set.of(w.feature);
        }
        Set<String> names = new TreeSet<>();
        for (Provider p : graph.providers()) {
            if (p.bundleId() == w.bundleId && p.feature() != null) {
                names.add(p.feature());
            }
        }
        return names;
    }

    private void settle(FeatureWaiter w, String feature, M800Exception failure) {
        if (w.timeout != null) {
            w.timeout.cancel(false);
        }
        serial.execute(() -> {
            if (failure == null) {
                w.future.complete(feature);
            } else {
                w.future.completeExceptionally(failure);
            }
        });
    }

    private CompletableFuture<String> await(FeatureWaiter w) {
        waiters.add(w);
        long millis = config.featureTimeout().toMillis();
        w.timeout = env.threads().scheduler().schedule(() -> {
            boolean removed;
            lock.lock();
            try {
                removed = waiters.remove(w);
            } finally {
                lock.unlock();
            }
            if (removed) {
                serial.execute(() -> w.future.completeExceptionally(new M800Exception(ErrorCode.TIMEOUT,
                        w.describe() + " was not ready within " + millis + " ms (featureTimeout); see diagnostics(): "
                                + diagnostics().describe().strip())));
            }
        }, millis, TimeUnit.MILLISECONDS);
        settleWaiters();
        return w.future;
    }

    // ---- API ----

    @Override
    public String id() {
        return config.clientId();
    }

    @Override
    public AppMeta appMeta() {
        return appMeta;
    }

    @Override
    public ClientConfig config() {
        return config;
    }

    @Override
    public boolean isReady() {
        return ready && !closed;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> Subscription on(ClientEvent<T> event, ClientListener<? super T> listener) {
        Objects.requireNonNull(event, "event");
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        requireOpen();
        return bus.subscribe(event, listener);
    }

    /** Bad input or a closed client fail the future (the core API 1.2 rule), as every asynchronous call does. */
    @Override
    public CompletableFuture<String> addFeature(FeatureBundle feature, List<ModuleDefinition> overrides) {
        try {
            return addCodeFeature(feature, overrides);
        } catch (M800Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<String> addCodeFeature(FeatureBundle feature, List<ModuleDefinition> overrides) {
        if (feature == null) {
            throw M800Exception.invalidArgument("feature must not be null");
        }
        if (overrides == null) {
            throw M800Exception.invalidArgument("overrides must not be null (pass an empty list)");
        }
        FeatureBundle checked = FeatureBundle.of(feature.name(), feature.modules());
        for (ModuleDefinition o : overrides) {
            if (o == null) {
                throw M800Exception.invalidArgument("overrides of feature " + checked.name() + " contain null");
            }
        }
        lock.lock();
        try {
            requireOpen();
            if (codeFeatures.containsKey(checked.name())) {
                throw M800Exception.invalidArgument("feature " + checked.name()
                        + " was already added in code; remove it first");
            }
            List<Provider> added = new ArrayList<>();
            added.add(new Provider(checked.name(), checked.modules(), Rank.code(Rank.CODE_FEATURE, ++sequence), "code",
                    -1));
            if (!overrides.isEmpty()) {
                added.add(new Provider(null, overrides, Rank.code(Rank.CODE_OVERRIDE, ++sequence),
                        "overrides given with feature " + checked.name(), -1));
            }
            codeFeatures.put(checked.name(), added);
            added.forEach(graph::add);
            apply(graph.reconcile());
            return await(FeatureWaiter.forFeature(checked.name()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Client> ready() {
        return featureReady(FeatureBundle.CORE).thenApply(name -> (Client) this);
    }

    /** Waits on the client's own scheduler, and fails at once if a module of the feature cannot be built. */
    @Override
    public CompletableFuture<String> featureReady(String feature) {
        if (feature == null || feature.isBlank()) {
            return CompletableFuture.failedFuture(M800Exception.invalidArgument("feature name must not be blank"));
        }
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new M800Exception(ErrorCode.ILLEGAL_STATE,
                        "client " + id() + " is closed"));
            }
            if (graph.isReady(feature)) {
                return CompletableFuture.completedFuture(feature);
            }
            return await(FeatureWaiter.forFeature(feature));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<String> addFeature(String location) {
        try {
            return addBundleFeature(location);
        } catch (M800Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<String> addBundleFeature(String location) {
        if (location == null || location.isBlank()) {
            throw M800Exception.invalidArgument("bundle location must not be blank");
        }
        requireOpen();
        BundleInstaller installer = env.installer();
        if (installer == null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "addFeature(location) needs an OSGi framework; outside "
                    + "OSGi put the feature's jar on the class path or use addFeature(FeatureBundle)");
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        Runnable install = () -> {
            try {
                requireOpen(); // closed while the install waited its turn: install nothing
                BundleInstaller.Installed installed = installer.install(location.strip());
                CompletableFuture<String> ready;
                lock.lock();
                try {
                    requireOpen();
                    installedBundles.add(installed.bundleId());
                    ready = await(FeatureWaiter.forBundle(installed.bundleId()));
                } finally {
                    lock.unlock();
                }
                ready.whenComplete((name, failure) -> {
                    if (failure == null) {
                        result.complete(name);
                    } else {
                        result.completeExceptionally(failure);
                    }
                });
            } catch (M800Exception e) {
                serial.execute(() -> result.completeExceptionally(e));
            } catch (RuntimeException e) {
                serial.execute(() -> result.completeExceptionally(new M800Exception(ErrorCode.INVALID_ARGUMENT,
                        "cannot add the feature at " + location + ": " + e, e)));
            }
        };
        try {
            env.threads().installs().execute(install);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new M800Exception(ErrorCode.ILLEGAL_STATE, "client " + id()
                    + " cannot add the feature at " + location + ": the SDK is stopping"));
        }
        return result;
    }

    @Override
    public void removeFeature(String name) {
        if (name == null || name.isBlank()) {
            throw M800Exception.invalidArgument("feature name must not be blank");
        }
        if (FeatureBundle.CORE.equals(name)) {
            throw M800Exception.invalidArgument("the core feature cannot be removed; override its modules instead");
        }
        Long bundleToUninstall = null;
        lock.lock();
        try {
            requireOpen();
            List<Provider> code = codeFeatures.remove(name);
            if (code != null) {
                code.forEach(graph::remove);
                apply(graph.reconcile());
                return;
            }
            List<Provider> bundles = graph.providers().stream().filter(p -> name.equals(p.feature())).toList();
            if (bundles.isEmpty()) {
                throw new M800Exception(ErrorCode.NOT_FOUND, "client " + id() + " has no feature named " + name);
            }
            for (Provider p : bundles) {
                if (installedBundles.contains(p.bundleId())) {
                    bundleToUninstall = p.bundleId();
                }
            }
            if (bundleToUninstall == null) {
                throw M800Exception.invalidArgument("feature " + name + " is provided by "
                        + bundles.stream().map(Provider::description).toList()
                        + ", which this client did not install; stop or uninstall that bundle instead");
            }
            installedBundles.remove(bundleToUninstall);
        } finally {
            lock.unlock();
        }
        // Outside the lock: uninstalling calls back into removed() on this thread.
        env.installer().uninstall(bundleToUninstall);
    }

    @Override
    public Optional<Object> module(String name) {
        lock.lock();
        try {
            return graph.instance(name);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> Optional<T> module(String name, Class<T> type) {
        return module(name).filter(type::isInstance).map(type::cast);
    }

    @Override
    public <T> Optional<T> module(Class<T> type) {
        lock.lock();
        try {
            for (BuiltModule m : graph.builtInOrder()) {
                if (type.isInstance(m.instance())) {
                    return Optional.of(type.cast(m.instance()));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ClientDiagnostics diagnostics() {
        lock.lock();
        try {
            return graph.diagnostics(closed);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        AutoCloseable handle;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            apply(graph.closeAll());
            for (FeatureWaiter w : waiters) {
                settle(w, null, new M800Exception(ErrorCode.ILLEGAL_STATE, "client " + id() + " was closed"));
            }
            waiters.clear();
            handle = following;
            following = null;
        } finally {
            lock.unlock();
        }
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.warn("client {}: could not stop following feature bundles", id(), e);
            }
        }
        bus.close();
        onClose.accept(this);
        LOG.info("client {} closed", id());
    }

    // ---- for module contexts ----

    Executor eventExecutor() {
        return serial;
    }

    ScheduledExecutorService scheduler() {
        return env.threads().scheduler();
    }

    Executor diskExecutor() {
        return env.threads().disk();
    }

    <T> void publish(ClientEvent<T> event, T payload) {
        if (!closed) {
            bus.publish(event, payload);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "client " + id() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "Client[" + id() + (closed ? ", closed" : ready ? ", ready" : "") + "]";
    }
}
