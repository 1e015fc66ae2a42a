package org.m800.sdk.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.file.FileListener;
import org.m800.sdk.file.Transfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thumbnails of media messages, kept as {@code file/thumbnails/<fileId>.jpg}: fetched by themselves
 * when a media message arrives (unless configured off) and on request, one download per file at a time.
 */
final class Thumbnails implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Thumbnails.class);

    private final FileManagerImpl files;
    private final Path folder;
    private final Map<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
    private final Subscription subscription;

    Thumbnails(FileManagerImpl files, ChatManager chat, Path folder, boolean automatic,
            ListenerList<FileListener> listeners) {
        this.files = files;
        this.folder = folder;
        this.subscription = automatic ? chat.addListener(new ChatListener() {
            @Override
            public void messageReceived(Message message) {
                if (!message.outgoing() && message.content() instanceof MessageContent.Media media
                        && media.thumbnailFileId() != null
                        && FileManagerImpl.FILE_ID.matcher(media.thumbnailFileId()).matches()) {
                    fetch(media.thumbnailFileId()).whenComplete((path, e) -> {
                        if (e == null) {
                            listeners.emit(l -> l.thumbnailReady(message.id(), media.thumbnailFileId(), path));
                        } else {
                            LOG.info("the thumbnail of message {} was not fetched: {}", message.id(), e.toString());
                        }
                    });
                }
            }
        }) : () -> {
        };
    }

    void prepareFolder() {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            LOG.warn("cannot create {}: {}", folder, e.toString());
        }
    }

    Optional<Path> local(String fileId) {
        if (fileId == null || !FileManagerImpl.FILE_ID.matcher(fileId).matches()) {
            return Optional.empty();
        }
        Path p = folder.resolve(fileId + ".jpg");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    CompletableFuture<Path> fetch(String fileId) {
        Path target = folder.resolve(fileId + ".jpg");
        return inFlight.computeIfAbsent(fileId, id -> {
            CompletableFuture<Path> f = new CompletableFuture<>();
            files.disk().execute(() -> {
                if (Files.isRegularFile(target)) {
                    files.events().execute(() -> f.complete(target));
                    return;
                }
                prepareFolder();
                TransferRecord r = new TransferRecord(FileManagerImpl.newId("d"), Transfer.Direction.DOWNLOAD,
                        target.getFileName().toString(), null, -1, null, null, -1, null, fileId,
                        target.toAbsolutePath().toString(), false);
                files.startInternal(r).result().whenComplete((info, e) -> {
                    if (e == null) {
                        f.complete(target);
                    } else {
                        f.completeExceptionally(e);
                    }
                });
            });
            f.whenComplete((p, e) -> inFlight.remove(fileId));
            return f;
        });
    }

    @Override
    public void close() {
        subscription.close();
    }
}
