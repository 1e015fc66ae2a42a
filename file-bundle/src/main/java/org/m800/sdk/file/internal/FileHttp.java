package org.m800.sdk.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP to the file servers on the file feature's own Jetty client (its own few threads), so transfers
 * never queue behind or in front of the client's other requests. Calls block the calling transfer
 * thread; each signs the request and carries the bearer token, asking once more with a refreshed token
 * when the server says the token expired. Servers of {@link ClientConfig#fileServers()} are tried in
 * order when one cannot be reached.
 */
final class FileHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileHttp.class);
    private static final int MAX_THREADS = 8;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** An answer without a large body. */
    record Answer(int status, HttpFields headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** A response whose body is read as a stream; closing it aborts what is left. */
    record Streamed(int status, HttpFields headers, InputStream body) implements AutoCloseable {
        String header(String name) {
            return headers.get(name);
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                LOG.debug("closing a download stream: {}", e.toString());
            }
        }
    }

    /** Lets a transfer abort the request that is in flight (pause, cancel, close). */
    static final class Abort {
        private final AtomicReference<Request> current = new AtomicReference<>();
        private volatile Throwable reason;

        void abort(Throwable why) {
            reason = why;
            Request r = current.get();
            if (r != null) {
                r.abort(why);
            }
        }

        void reset() {
            reason = null;
        }

        Throwable reason() {
            return reason;
        }

        void set(Request r) {
            current.set(r);
            if (reason != null) {
                r.abort(reason);
            }
        }
    }

    private final List<URI> servers;
    private final FileSigner signer;
    private final AccountManager account;
    private final Duration requestTimeout;
    private final String clientId;
    private final ClientConfig config;
    private final Object lock = new Object();
    /** Started by the first request: a client that moves no file runs no Jetty thread of its own. */
    private HttpClient http;
    private boolean closed;
    private volatile int serverIndex;

    FileHttp(String clientId, ClientConfig config, FileSigner signer, AccountManager account) {
        this.servers = config.fileServers();
        this.signer = signer;
        this.account = account;
        this.requestTimeout = config.requestTimeout();
        this.clientId = clientId;
        this.config = config;
    }

    /** @return the started HTTP client; starts it on the first call (a transfer thread, never an event thread) */
    private HttpClient http() {
        synchronized (lock) {
            if (closed) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the client has closed");
            }
            if (http == null) {
                http = start(clientId, config);
            }
            return http;
        }
    }

    private static HttpClient start(String clientId, ClientConfig config) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 1);
        threads.setName("m800-file-io-" + clientId);
        threads.setReservedThreads(0);
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("m800-file-io-scheduler-" + clientId, true));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        client.setConnectTimeout(config.connectTimeout().toMillis());
        if (config.trustStore() != null) {
            org.eclipse.jetty.util.ssl.SslContextFactory.Client tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Client();
            tls.setTrustStorePath(config.trustStore().toAbsolutePath().toString());
            tls.setTrustStoreType(config.trustStore().toString().endsWith(".jks") ? "JKS" : "PKCS12");
            if (config.trustStorePassword() != null) {
                tls.setTrustStorePassword(config.trustStorePassword());
            }
            client.setSslContextFactory(tls);
        }
        try {
            client.start();
            // a 401 is an answer of the protocol, not an HTTP authentication challenge
            client.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
        } catch (Exception e) {
            try {
                client.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new M800Exception(ErrorCode.NETWORK, "cannot start the file HTTP client: " + e, e);
        }
        return client;
    }

    /** @return whether any file server is configured */
    boolean configured() {
        return !servers.isEmpty();
    }

    /**
     * Sends a request with a small answer.
     *
     * @param body the body, or {@code null}
     * @throws IOException the network failed (worth retrying)
     * @throws M800Exception no server configured, no token (not logged in)
     */
    Answer exchange(String method, String path, Map<String, String> headers, ByteBuffer body, String contentType,
            Duration timeout, Abort abort) throws IOException {
        Answer a = exchangeOnce(method, path, headers, body, contentType, timeout, abort, false);
        if (a.status() == 401 && a.body().contains("TOKEN_EXPIRED")) {
            a = exchangeOnce(method, path, headers, body == null ? null : body.rewind(), contentType, timeout, abort,
                    true);
        }
        return a;
    }

    private Answer exchangeOnce(String method, String path, Map<String, String> headers, ByteBuffer body,
            String contentType, Duration timeout, Abort abort, boolean refresh) throws IOException {
        IOException last = null;
        for (int i = 0; i < Math.max(1, servers.size()); i++) {
            int index = (serverIndex + i) % Math.max(1, servers.size());
            Request request = newRequest(index, method, path, headers, refresh)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (body != null) {
                request.body(new ByteBufferRequestContent(contentType, body.duplicate()));
            }
            if (abort != null) {
                abort.set(request);
            }
            try {
                ContentResponse r = request.send();
                serverIndex = index;
                return new Answer(r.getStatus(), r.getHeaders(), r.getContentAsString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (TimeoutException e) {
                throw new IOException(method + " " + path + ": no answer within " + timeout.toMillis() + " ms", e);
            } catch (ExecutionException e) {
                last = new IOException(method + " " + path + " to " + servers.get(index) + ": " + e.getCause(),
                        e.getCause());
                if (abort != null && abort.reason() != null) {
                    throw last;
                }
                if (!(e.getCause() instanceof java.net.ConnectException)) {
                    throw last;
                }
            }
        }
        throw last;
    }

    /**
     * Sends a GET (or HEAD) whose body is read as a stream by the caller.
     *
     * @throws IOException the network failed (worth retrying)
     */
    Streamed stream(String method, String path, Map<String, String> headers, Abort abort) throws IOException {
        Streamed s = streamOnce(method, path, headers, abort, false);
        if (s.status() == 401) {
            s.close();
            s = streamOnce(method, path, headers, abort, true);
        }
        return s;
    }

    private Streamed streamOnce(String method, String path, Map<String, String> headers, Abort abort,
            boolean refresh) throws IOException {
        int index = serverIndex;
        Request request = newRequest(index, method, path, headers, refresh);
        if (abort != null) {
            abort.set(request);
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response r = listener.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Streamed(r.getStatus(), r.getHeaders(), listener.getInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            request.abort(e);
            throw new IOException(method + " " + path + ": no answer within " + requestTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (servers.size() > 1 && e.getCause() instanceof java.net.ConnectException) {
                serverIndex = (index + 1) % servers.size();
            }
            throw new IOException(method + " " + path + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * A request whose body the caller writes piece by piece while it goes out (a PATCH of checked
     * chunks): each {@link #write} hands a buffer to the I/O threads and returns at once, so the caller
     * reads the next piece while this one is sent.
     */
    static final class Upstream {
        private final Request request;
        private final AsyncRequestContent content;
        private final CompletableFuture<Answer> answer;

        private Upstream(Request request, AsyncRequestContent content, CompletableFuture<Answer> answer) {
            this.request = request;
            this.content = content;
            this.answer = answer;
        }

        /** @return completes when the buffer was written (the caller may reuse it then); fails if the request did */
        CompletableFuture<Void> write(ByteBuffer buffer) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            content.write(buffer, Callback.from(() -> done.complete(null), done::completeExceptionally));
            return done;
        }

        /** The body is complete. */
        void end() {
            content.close();
        }

        /** @return whether the server answered already (then writing more is pointless) */
        boolean answered() {
            return answer.isDone();
        }

        /**
         * Waits for the answer: also one the server gave before it read the whole body (a corrupted
         * chunk), which is why this listens to the response rather than to the exchange.
         *
         * @throws IOException the request failed without an answer, or none came in time
         */
        Answer answer(Duration timeout) throws IOException {
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                request.abort(e);
                throw new IOException("interrupted", e);
            } catch (TimeoutException e) {
                request.abort(e);
                throw new IOException(request.getMethod() + " " + request.getPath() + ": no answer within "
                        + timeout.toMillis() + " ms", e);
            } catch (ExecutionException e) {
                throw new IOException(request.getMethod() + " " + request.getPath() + ": " + e.getCause(),
                        e.getCause());
            }
        }

        /** Ends the request (if still going) because the caller gives up on it. */
        void abort(Throwable why) {
            content.fail(why);
            request.abort(why);
        }
    }

    /**
     * Starts a request whose body the caller streams through the returned {@link Upstream}.
     *
     * @param refresh whether to refresh the access token first (after a TOKEN_EXPIRED answer)
     * @throws IOException the token could not be had
     */
    Upstream upstream(String method, String path, Map<String, String> headers, String contentType, Abort abort,
            boolean refresh) throws IOException {
        Request request = newRequest(serverIndex, method, path, headers, refresh);
        AsyncRequestContent content = new AsyncRequestContent(contentType);
        request.body(content);
        if (abort != null) {
            abort.set(request);
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        request.send(new BufferingResponseListener(64 * 1024) {
            @Override
            public void onComplete(Result result) {
                Response r = result.getResponse();
                if (result.getResponseFailure() == null && r != null && r.getStatus() > 0) {
                    answer.complete(new Answer(r.getStatus(), r.getHeaders(), getContentAsString()));
                } else {
                    answer.completeExceptionally(result.getFailure());
                }
                content.fail(new IOException("the exchange is over"));
            }
        });
        return new Upstream(request, content, answer);
    }

    private Request newRequest(int index, String method, String path, Map<String, String> headers, boolean refresh)
            throws IOException {
        if (servers.isEmpty()) {
            throw M800Exception.invalidArgument("no " + ClientConfig.FILE_SERVERS + " (nor "
                    + ClientConfig.SIGN_UP_SERVERS + ") configured: the file feature has no server");
        }
        URI base = servers.get(index);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String fullPath = basePath + path;
        String token = token(refresh);
        Map<String, String> signature = signer.headers(method, fullPath);
        return http().newRequest(base.resolve(fullPath)).method(method)
                .idleTimeout(IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    signature.forEach(h::put);
                    h.put("Authorization", "Bearer " + token);
                    headers.forEach(h::put);
                });
    }

    private String token(boolean refresh) throws IOException {
        try {
            return account.accessToken(refresh).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("no access token within " + requestTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof M800Exception m && (m.code() == ErrorCode.NETWORK || m.code() == ErrorCode.TIMEOUT
                    || m.code() == ErrorCode.SERVER_ERROR || m.code() == ErrorCode.RATE_LIMITED)) {
                throw new IOException("no access token: " + m.getMessage(), m);
            }
            throw c instanceof M800Exception m ? m
                    : new M800Exception(ErrorCode.ILLEGAL_STATE, "no access token: " + c, c);
        }
    }

    @Override
    public void close() {
        HttpClient started;
        synchronized (lock) {
            closed = true;
            started = http;
            http = null;
        }
        if (started == null) {
            return;
        }
        try {
            started.stop();
        } catch (Exception e) {
            LOG.warn("stopping the file HTTP client failed", e);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
