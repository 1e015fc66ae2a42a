package org.m800.server.internal.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.m800.server.internal.chat.ChatFeature;
import org.m800.server.internal.db.Migration;
import org.m800.server.internal.feature.FeatureContext;
import org.m800.server.internal.feature.ServerFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file endpoints of docs/protocol.md section 12: tus uploads, downloads with ranges, file info,
 * access through chat's conversations, limits and the sweeper of expired uploads. Bytes live in the
 * files folder, metadata in the database. Installed after chat (it reads chat's members and
 * messages, and chat tells it which files a message refers to).
 */
public final class FilesFeature implements ServerFeature, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FilesFeature.class);
    private static final long MAX_SWEEP_PERIOD_MS = 60_000;
    private static final long MIN_SWEEP_PERIOD_MS = 100;

    private final FileLimits limits;
    private Path temporaryDirectory;
    private ScheduledFuture<?> sweeper;

    public FilesFeature(FileLimits limits, ChatFeature chat) {
        this.limits = limits;
        // chat is installed first: it must know whom to tell before its first message
        chat.fileReferences((session, conversationId, seq, senderId, fileIds) -> {
            for (String id : new LinkedHashSet<>(fileIds)) {
                if (FileBytes.ID.matcher(id).matches()) {
                    FileStore.refer(session.connection(), id, conversationId, seq, senderId);
                }
            }
        });
    }

    @Override
    public String name() {
        return "files";
    }

    @Override
    public List<Migration> migrations() {
        return List.of(new Migration(1, "files and the conversations that refer to them",
                "/org/m800/server/internal/db/files/V1__files.sql"));
    }

    @Override
    public void install(FeatureContext context) {
        try {
            Path directory = limits.directory();
            if (directory == null) {
                temporaryDirectory = Files.createTempDirectory("m800-files");
                directory = temporaryDirectory;
            }
            FileBytes bytes = new FileBytes(directory);
            FileStore store = new FileStore(context.database());
            TusUploads uploads = new TusUploads(store, bytes, limits, context.clock());
            deleteOrphans(store, bytes);
            context.httpRoutes().addStream(FilesRoute.PREFIX,
                    new FilesRoute(context.accounts(), uploads, new Downloads(store, bytes)));
            long period = Math.max(MIN_SWEEP_PERIOD_MS, Math.min(MAX_SWEEP_PERIOD_MS,
                    limits.uploadExpiry().toMillis() / 4));
            sweeper = context.scheduler().scheduleWithFixedDelay(() -> sweep(uploads), period, period,
                    TimeUnit.MILLISECONDS);
            LOG.info("File bytes in {} (largest file {} bytes, {} bytes per user, uploads expire after {})",
                    directory, limits.maxFileBytes(), limits.storagePerUserBytes(), limits.uploadExpiry());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the files folder", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the files folder against the database", e);
        }
    }

    private static void sweep(TusUploads uploads) {
        try {
            int n = uploads.sweep();
            if (n > 0) {
                LOG.info("Deleted {} expired upload(s)", n);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.warn("Sweeping expired uploads failed", e);
        }
    }

    /** Bytes whose row is gone (the server stopped between deleting the row and the bytes). */
    private static void deleteOrphans(FileStore store, FileBytes bytes) throws IOException, SQLException {
        for (String id : bytes.ids()) {
            if (!store.exists(id)) {
                bytes.delete(id);
            }
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (temporaryDirectory != null) {
            try (Stream<Path> files = Files.walk(temporaryDirectory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.warn("Cannot delete the temporary files folder {}", temporaryDirectory, e);
            }
        }
    }
}
