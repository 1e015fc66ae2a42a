package org.m800.sdk.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.time.Duration;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileListener;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.file.MediaInfo;
import org.m800.sdk.file.Share;
import org.m800.sdk.file.Transfer;
import org.m800.sdk.file.TransferState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FileManager} of one client: the transfer engine, the kept transfers (restored when the
 * module is built), media analysis, shares into chat and thumbnails of received media.
 */
public final class FileManagerImpl extends FeatureManager implements FileManager {

    private static final Logger LOG = LoggerFactory.getLogger(FileManagerImpl.class);
    static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String clientId;
    private final Executor events;
    private final Executor disk;
    private final FileHttp http;
    private final TransferStore store;
    private final TransferEngine engine;
    private final ContentTypes types = new ContentTypes();
    private final MediaAnalyzer media = new MediaAnalyzer(types);
    private final ListenerList<FileListener> listeners;
    private final Map<String, TransferImpl> transfers = new ConcurrentHashMap<>();
    /** Analysis, streams and info requests: a few threads of their own, idle ones time out. */
    private final ThreadPoolExecutor work;
    private final Duration requestTimeout;
    private final Shares shares;
    private final Thumbnails thumbnails;
    private volatile boolean closed;
    private volatile boolean restored;

    /**
     * Builds the module (declared with {@link FeatureManager#DEPENDENCIES}, {@code service.storage} and
     * {@code chat}); the kept transfers and shares of the user are restored when the user is known.
     */
    public FileManagerImpl(ModuleContext ctx, FileSettings settings) {
        super(ctx);
        this.clientId = ctx.clientId();
        this.events = ctx.eventExecutor();
        this.disk = ctx.diskExecutor();
        this.requestTimeout = ctx.config().requestTimeout();
        StorageService storage = ctx.dependency(StorageService.MODULE, StorageService.class);
        ChatManager chat = ctx.dependency(ChatManager.MODULE, ChatManager.class);
        this.listeners = newListenerList("file listener");
        this.http = new FileHttp(clientId, ctx.config(), new FileSigner(ctx.appMeta()), accountManager());
        this.store = new TransferStore(storage, disk);
        this.engine = new TransferEngine(clientId, settings.maxConcurrent(), store, this::stateChanged);
        this.work = new ThreadPoolExecutor(2, 2, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "m800-file-work-" + clientId);
            t.setDaemon(true);
            return t;
        });
        work.allowCoreThreadTimeOut(true);
        Path folder = ctx.dataDirectory().resolve("file");
        this.shares = new Shares(this, chat, store, folder.resolve("outgoing"), events);
        this.thumbnails = new Thumbnails(this, chat, folder.resolve("thumbnails"), settings.fetchThumbnails(),
                listeners);
        start();
    }

    /** The first user's kept transfers and shares go on (on the disk executor). */
    @Override
    protected void onLoggedIn(String userId) {
        store.scope(FeatureManager.userIdHash(userId, 12));
        if (restored || closed) {
            return;
        }
        restored = true;
        try {
            thumbnails.prepareFolder();
            shares.prepareFolder();
            List<TransferRecord> records = store.loadTransfers();
            List<ShareRecord> kept = store.loadShares();
            Set<String> owned = ConcurrentHashMap.newKeySet();
            kept.forEach(s -> {
                owned.add(s.uploadId());
                if (s.thumbnailUploadId() != null) {
                    owned.add(s.thumbnailUploadId());
                }
            });
            for (TransferRecord r : records) {
                if (transfers.containsKey(r.id())) {
                    continue; // started in this run before the session hook ran
                }
                if (r.direction() == Transfer.Direction.UPLOAD && r.fileId() != null) {
                    if (owned.contains(r.id())) {
                        TransferImpl t = new TransferImpl(r, engine, events, task(r, null));
                        t.completed(new FileInfo(r.fileId(), r.name(), r.mimeType(), r.size(), r.sha256()));
                        transfers.put(r.id(), t);
                    } else {
                        store.delete(r.id());
                    }
                    continue;
                }
                TransferImpl t = new TransferImpl(r, engine, events, task(r, null));
                transfers.put(r.id(), t);
                listeners.emit(l -> l.transferAdded(t));
                if (!r.paused()) {
                    engine.enqueue(t);
                }
                LOG.info("client {}: going on with the {} of '{}' (transfer {})", clientId,
                        r.direction().name().toLowerCase(java.util.Locale.ROOT), r.name(), r.id());
            }
            shares.restore(kept);
        } catch (RuntimeException e) {
            LOG.warn("client {}: the kept transfers could not be read", clientId, e);
        }
    }

    TransferTask task(TransferRecord r, InputStream stream) {
        return r.direction() == Transfer.Direction.UPLOAD ? new UploadTask(http, types, requestTimeout, stream)
                : new DownloadTask(http, requestTimeout);
    }

    static String newId(String prefix) {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    private void stateChanged(TransferImpl t, TransferState state) {
        listeners.emit(l -> l.transferStateChanged(t, state));
        if (state == TransferState.COMPLETED && t.direction() == Transfer.Direction.UPLOAD && !shares.owns(t.id())) {
            store.delete(t.id());
        }
    }

    // ------------------------------------------------------------------ transfers

    @Override
    public Transfer upload(Path file, String name, String mimeType) {
        String id = newId("u");
        String shown = name != null ? name : file == null || file.getFileName() == null ? "?" : file.getFileName().toString();
        TransferRecord r = new TransferRecord(id, Transfer.Direction.UPLOAD, shown, mimeType, -1, null,
                file == null ? null : file.toAbsolutePath().toString(), -1, null, null, null, false);
        if (file == null) {
            return refuse(r, "upload: the file is null");
        }
        if (name != null && name.isBlank()) {
            return refuse(r, "upload of " + file + ": the name is blank");
        }
        return begin(r, null);
    }

    @Override
    public Transfer upload(InputStream in, long length, String name, String mimeType) {
        TransferRecord r = new TransferRecord(newId("u"), Transfer.Direction.UPLOAD, name == null ? "?" : name,
                mimeType, length, null, null, -1, null, null, null, false);
        if (in == null) {
            return refuse(r, "upload: the stream is null");
        }
        if (name == null || name.isBlank()) {
            return refuse(r, "upload from a stream: a name is required");
        }
        if (length < 0) {
            return refuse(r, "upload of '" + name + "': the length must be 0 or more, was " + length);
        }
        return begin(r, ContentTypes.markable(in));
    }

    @Override
    public Transfer download(String fileId, Path target) {
        Path fileName = target == null ? null : target.getFileName();
        String name = fileName == null ? "?" : fileName.toString();
        TransferRecord r = new TransferRecord(newId("d"), Transfer.Direction.DOWNLOAD, name, null, -1, null, null, -1,
                null, fileId, target == null ? null : target.toAbsolutePath().toString(), false);
        if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
            return refuse(r, "download: '" + fileId + "' is not a file id");
        }
        if (target == null || target.getFileName() == null) {
            return refuse(r, "download of " + fileId + ": no target file");
        }
        return begin(r, null);
    }

    private Transfer refuse(TransferRecord r, String message) {
        return TransferImpl.failed(r, engine, events, M800Exception.invalidArgument(message));
    }

    private Transfer begin(TransferRecord r, InputStream stream) {
        try {
            requireUser();
        } catch (M800Exception e) {
            // just logged in: the session hook has not run yet, but the account knows the user
            var profile = isClosed() || !accountManager().isLoggedIn() ? Optional.<org.m800.sdk.core.Profile>empty()
                    : accountManager().profile();
            if (profile.isEmpty()) {
                return TransferImpl.failed(r, engine, events, e);
            }
            store.scope(FeatureManager.userIdHash(profile.get().userId(), 12));
        }
        TransferImpl t = new TransferImpl(r, engine, events, task(r, stream));
        transfers.put(r.id(), t);
        listeners.emit(l -> l.transferAdded(t));
        // kept before it runs, so a queued transfer survives a restart too; the disk executor keeps the order
        store.save(r);
        engine.enqueue(t);
        return t;
    }

    @Override
    public CompletableFuture<InputStream> openStream(String fileId) {
        if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
            return failedLater(M800Exception.invalidArgument("openStream: '" + fileId + "' is not a file id"));
        }
        return async(() -> ResumingStream.open(http, fileId, requestTimeout));
    }

    @Override
    public CompletableFuture<FileInfo> info(String fileId) {
        if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
            return failedLater(M800Exception.invalidArgument("info: '" + fileId + "' is not a file id"));
        }
        return async(() -> FileInfos.fetch(http, fileId, requestTimeout, null));
    }

    @Override
    public List<Transfer> transfers() {
        List<Transfer> out = new ArrayList<>(transfers.values());
        out.sort(java.util.Comparator.comparing(Transfer::id));
        return out;
    }

    @Override
    public Optional<Transfer> transfer(String transferId) {
        return Optional.ofNullable(transfers.get(transferId));
    }

    TransferImpl transferImpl(String transferId) {
        return transfers.get(transferId);
    }

    @Override
    public CompletableFuture<MediaInfo> analyze(Path file) {
        if (file == null) {
            return failedLater(M800Exception.invalidArgument("analyze: the file is null"));
        }
        return async(() -> media.analyze(file));
    }

    @Override
    public Share share(String conversationId, Path file, String caption) {
        return shares.share(conversationId, file, caption);
    }

    @Override
    public Optional<Path> thumbnail(String thumbnailFileId) {
        return thumbnails.local(thumbnailFileId);
    }

    @Override
    public CompletableFuture<Path> fetchThumbnail(String thumbnailFileId) {
        if (thumbnailFileId == null || !FILE_ID.matcher(thumbnailFileId).matches()) {
            return failedLater(M800Exception.invalidArgument("fetchThumbnail: '" + thumbnailFileId + "' is not a file id"));
        }
        return thumbnails.fetch(thumbnailFileId);
    }

    @Override
    public Subscription addListener(FileListener listener) {
        return listeners.add(listener);
    }

    // ------------------------------------------------------------------ helpers

    /** Something that may block, run on the work threads. */
    interface Blocking<T> {
        T run() throws IOException;
    }

    <T> CompletableFuture<T> async(Blocking<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed || isClosed()) {
            return failedLater(new M800Exception(ErrorCode.CLOSED, "the file feature of client " + clientId
                    + " is closed"));
        }
        // the tracked copy is what the caller gets: close() fails it even when the work never ran (a task
        // still queued when onClose() shuts the work threads down is dropped, and f with it)
        CompletableFuture<T> handedOut = track(f);
        try {
            work.execute(() -> {
                try {
                    T v = body.run();
                    events.execute(() -> f.complete(v));
                } catch (M800Exception e) {
                    events.execute(() -> f.completeExceptionally(e));
                } catch (IOException e) {
                    events.execute(() -> f.completeExceptionally(new M800Exception(ErrorCode.NETWORK,
                            "the file server cannot be reached: " + e.getMessage(), e)));
                } catch (RuntimeException e) {
                    events.execute(() -> f.completeExceptionally(new M800Exception(ErrorCode.ILLEGAL_STATE,
                            e.toString(), e)));
                }
            });
        } catch (RejectedExecutionException e) {
            M800Exception closing = new M800Exception(ErrorCode.CLOSED, "the file feature is closing");
            events.execute(() -> f.completeExceptionally(closing));
        }
        return handedOut;
    }

    <T> CompletableFuture<T> failedLater(M800Exception e) {
        CompletableFuture<T> f = new CompletableFuture<>();
        events.execute(() -> f.completeExceptionally(e));
        return f;
    }

    Executor events() {
        return events;
    }

    Executor disk() {
        return disk;
    }

    boolean closing() {
        return closed;
    }

    /** Starts a transfer made by the module itself (a share's thumbnail, a thumbnail fetch). */
    Transfer startInternal(TransferRecord r) {
        return begin(r, null);
    }

    /** Re-creates a restored transfer in memory if it is not known (shares ask after a restart). */
    Map<String, TransferImpl> known() {
        return new LinkedHashMap<>(transfers);
    }

    @Override
    protected void onClose() {
        closed = true;
        thumbnails.close();
        shares.close();
        engine.close();
        work.shutdownNow();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
