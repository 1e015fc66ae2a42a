/**
 * The M800 SDK core API: the {@link org.m800.sdk.core.Client}, its configuration, its module model,
 * and the base every feature manager is written on ({@link org.m800.sdk.core.FeatureManager}).
 *
 * <h2>How a failure reaches the caller (the one rule)</h2>
 * An asynchronous operation (one that returns a {@link java.util.concurrent.CompletableFuture} or a
 * result holding one) never throws for bad input or for the state of the client: it returns a future
 * that fails with an {@link org.m800.sdk.core.M800Exception} carrying the
 * {@link org.m800.sdk.core.ErrorCode} ({@code INVALID_ARGUMENT} naming the bad argument, nothing sent;
 * {@code ILLEGAL_STATE} when no user is logged in; {@code CLOSED} when the client or the manager was
 * closed; the server's and the network's codes otherwise). Its Javadoc lists the codes under
 * {@code @return}, not {@code @throws}. Synchronous methods (getters, {@code addListener},
 * configuration builders) throw the {@code M800Exception} instead. Closing a client completes every
 * future it handed out; those still pending fail with {@code CLOSED}.
 *
 * <h2>Listeners</h2>
 * {@code addListener(XxxListener)} returns a {@link org.m800.sdk.core.Subscription}; listeners of one
 * client are called in order on the SDK's shared event threads, never on an I/O thread and never while
 * the SDK holds a lock; one that throws is logged and the others still run
 * ({@link org.m800.sdk.core.ListenerList}).
 */
@Version("1.2.0")
package org.m800.sdk.core;

import org.osgi.annotation.versioning.Version;
