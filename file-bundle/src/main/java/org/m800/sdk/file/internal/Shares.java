package org.m800.sdk.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.chat.Sending;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.MediaInfo;
import org.m800.sdk.file.Share;
import org.m800.sdk.file.Transfer;
import org.m800.sdk.file.TransferState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares into chat, kept in the client's storage until the media message is in chat's outbox: analyse
 * the file, upload its thumbnail (kept as a file under {@code file/outgoing/}) and the file, then
 * {@link ChatManager#send}. A share whose record says it was handed to chat already (the client died
 * between handing and forgetting it) is looked for in chat's outbox and history first, so it is never
 * sent twice.
 */
final class Shares implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Shares.class);

    private final FileManagerImpl files;
    private final ChatManager chat;
    private final TransferStore store;
    private final Path outgoing;
    private final Executor events;
    private final Set<String> ownedTransfers = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();

    Shares(FileManagerImpl files, ChatManager chat, TransferStore store, Path outgoing, Executor events) {
        this.files = files;
        this.chat = chat;
        this.store = store;
        this.outgoing = outgoing;
        this.events = events;
    }

    boolean owns(String transferId) {
        return ownedTransfers.contains(transferId);
    }

    void prepareFolder() {
        try {
            Files.createDirectories(outgoing);
        } catch (IOException e) {
            LOG.warn("cannot create {}: {}", outgoing, e.toString());
        }
    }

    Share share(String conversationId, Path file, String caption) {
        String id = FileManagerImpl.newId("s");
        if (conversationId == null || conversationId.isBlank()) {
            Transfer refused = files.upload((Path) null, null, null);
            return new Share(id, refused, files.failedLater(M800Exception.invalidArgument("share: no conversation id")));
        }
        Transfer upload = files.upload(file, null, null);
        ownedTransfers.add(upload.id());
        CompletableFuture<Message> sent = new CompletableFuture<>();
        pending.put(id, sent);
        sent.whenComplete((m, e) -> pending.remove(id));
        ShareRecord r = new ShareRecord(id, conversationId, upload.id(), null, caption, null, null, null, false, false);
        store.saveShare(r);
        if (upload.state() == TransferState.FAILED) {
            upload.result().whenComplete((v, e) -> fail(r, sent, e));
            return new Share(id, upload, sent);
        }
        go(r, sent);
        return new Share(id, upload, sent);
    }

    /** Goes on with kept shares (on the disk executor, after the transfers were restored). */
    void restore(List<ShareRecord> kept) {
        for (ShareRecord r : kept) {
            ownedTransfers.add(r.uploadId());
            if (r.thumbnailUploadId() != null) {
                ownedTransfers.add(r.thumbnailUploadId());
            }
            CompletableFuture<Message> sent = new CompletableFuture<>();
            pending.put(r.id(), sent);
            sent.whenComplete((m, e) -> pending.remove(r.id()));
            LOG.info("going on with the share {} into conversation {}", r.id(), r.conversationId());
            go(r, sent);
        }
    }

    private void go(ShareRecord r, CompletableFuture<Message> sent) {
        TransferImpl upload = files.transferImpl(r.uploadId());
        if (upload == null) {
            fail(r, sent, new M800Exception(ErrorCode.NOT_FOUND, "the upload of share " + r.id() + " is lost"));
            return;
        }
        if (r.analyzed()) {
            waitAndSend(r, sent);
            return;
        }
        Path source = upload.localFile().orElse(null);
        files.analyze(source).whenComplete((info, e) -> {
            if (e != null) {
                LOG.debug("share {}: no media analysis ({})", r.id(), e.toString());
            }
            files.disk().execute(() -> analysed(r, sent, e == null ? info : null));
        });
    }

    /** On the disk executor: keeps the thumbnail as a file, starts its upload, keeps the analysis. */
    private void analysed(ShareRecord r, CompletableFuture<Message> sent, MediaInfo info) {
        String thumbnailUpload = null;
        if (info != null && info.thumbnail() != null) {
            try {
                Path thumb = outgoing.resolve(r.id() + ".jpg");
                Files.write(thumb, info.thumbnail());
                TransferRecord t = new TransferRecord(FileManagerImpl.newId("u"), Transfer.Direction.UPLOAD,
                        "thumbnail.jpg", "image/jpeg", -1, null, thumb.toAbsolutePath().toString(), -1, null, null,
                        null, false);
                ownedTransfers.add(t.id());
                thumbnailUpload = files.startInternal(t).id();
            } catch (IOException e) {
                LOG.warn("share {}: the thumbnail cannot be kept ({}); sharing without it", r.id(), e.toString());
            }
        }
        ShareRecord next = info == null ? r.withAnalysis(null, null, null, null)
                : r.withAnalysis(thumbnailUpload, info.width(), info.height(), info.durationMs());
        store.saveShare(next);
        waitAndSend(next, sent);
    }

    private void waitAndSend(ShareRecord r, CompletableFuture<Message> sent) {
        TransferImpl upload = files.transferImpl(r.uploadId());
        TransferImpl thumb = r.thumbnailUploadId() == null ? null : files.transferImpl(r.thumbnailUploadId());
        CompletableFuture<FileInfo> thumbDone = thumb == null ? CompletableFuture.completedFuture(null)
                : thumb.result().handle((v, e) -> e == null ? v : null);
        upload.result().thenCombine(thumbDone, (file, th) -> new FileInfo[] { file, th }).whenComplete((both, e) -> {
            if (e != null) {
                fail(r, sent, e);
            } else {
                files.disk().execute(() -> send(r, sent, both[0], both[1]));
            }
        });
    }

    /** On the disk executor (chat's send appends to its outbox file). */
    private void send(ShareRecord r, CompletableFuture<Message> sent, FileInfo file, FileInfo thumb) {
        if (files.closing()) {
            return;
        }
        try {
            if (r.handedToChat()) {
                Message already = find(file.fileId());
                if (already != null) {
                    done(r, sent, already);
                    return;
                }
            }
            store.saveShareNow(r.handed());
            String name = file.name();
            MessageContent.Media media = new MessageContent.Media(file.fileId(), file.mimeType(), file.size(),
                    r.width(), r.height(), r.durationMs(), thumb == null ? null : thumb.fileId(), name, r.caption());
            Sending s = chat.send(r.conversationId(), media);
            done(r, sent, s.message());
        } catch (RuntimeException e) {
            fail(r, sent, e);
        }
    }

    private Message find(String fileId) {
        for (Message m : chat.outbox()) {
            if (m.content() instanceof MessageContent.Media media && media.fileId().equals(fileId)) {
                return m;
            }
        }
        return null;
    }

    private void done(ShareRecord r, CompletableFuture<Message> sent, Message m) {
        forget(r);
        events.execute(() -> sent.complete(m));
    }

    private void fail(ShareRecord r, CompletableFuture<Message> sent, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof M800Exception m && (m.code() == ErrorCode.FEATURE_UNAVAILABLE || m.code() == ErrorCode.CLOSED)) {
            // closing: the record stays for the next client
            events.execute(() -> sent.completeExceptionally(cause));
            return;
        }
        forget(r);
        M800Exception failure = cause instanceof M800Exception m ? m
                : new M800Exception(ErrorCode.ILLEGAL_STATE, "the share " + r.id() + " failed: " + cause, cause);
        events.execute(() -> sent.completeExceptionally(failure));
    }

    private void forget(ShareRecord r) {
        store.deleteShare(r.id());
        store.delete(r.uploadId());
        ownedTransfers.remove(r.uploadId());
        if (r.thumbnailUploadId() != null) {
            store.delete(r.thumbnailUploadId());
            ownedTransfers.remove(r.thumbnailUploadId());
        }
        Path thumb = outgoing.resolve(r.id() + ".jpg");
        try {
            files.disk().execute(() -> {
                try {
                    Files.deleteIfExists(thumb);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", thumb, e.toString());
                }
            });
        } catch (RuntimeException rejected) {
            // stopping: the next start finds it unused
        }
    }

    @Override
    public void close() {
        M800Exception gone = new M800Exception(ErrorCode.CLOSED, "the file feature closed before the"
                + " share was sent; a client opened again on the same data directory sends it");
        pending.values().forEach(f -> f.completeExceptionally(gone));
    }
}
