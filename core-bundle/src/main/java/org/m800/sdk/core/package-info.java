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
 *
 * <h2>The stored login session</h2>
 * A client keeps its login session in its data directory so it starts logged in next time.
 * {@link org.m800.sdk.core.ClientConfig#sessionKeyStore()} chooses how it is stored.
 *
 * <p><b>What the default protects against.</b> The session (the user id, a short-lived access token
 * and a refresh token valid for 30 days) is a file of the data directory that only the operating-system
 * user running the SDK may read (mode 0600 where the file system has POSIX permissions). That keeps
 * other users of the machine out; it does not protect a copy of the data directory (a backup, a
 * synced folder, a stolen disk without full-disk encryption) nor code running as the same user:
 * whoever reads the file can act as the user until the refresh token is revoked
 * ({@link org.m800.sdk.core.AccountManager#logOut()}, {@link org.m800.sdk.core.AccountManager#logOutEverywhere()}).
 *
 * <p><b>With a session key store.</b> The stored session is encrypted with AES-GCM under the AES key
 * {@link org.m800.sdk.core.ClientConfig#sessionKeyAlias()} of that key store (PKCS12 or JKS, opened with
 * {@link org.m800.sdk.core.ClientConfig#sessionKeyStorePassword()}); the tokens are never on disk in
 * clear, and a copy of the data directory alone is useless. The protection is as good as where the key
 * store and its password are kept: keep them out of the data directory (and out of its backups). A
 * session stored before the key was configured is read once and stored again encrypted. A stored
 * session that the configured key cannot decrypt (another key, a changed key store, a damaged file) is
 * dropped: the client starts logged out, reports a {@link org.m800.sdk.core.ClientEvent#ERROR} saying
 * why, and the application logs in again. A key store that cannot be opened, or has no AES key under
 * the alias, fails the {@code account} module with a message naming the setting.
 *
 * <p>Make a key with, for example,
 * {@code keytool -genseckey -keyalg AES -keysize 256 -alias m800-session -storetype PKCS12 -keystore session.p12}.
 */
@Version("1.2.0")
package org.m800.sdk.core;

import org.osgi.annotation.versioning.Version;
