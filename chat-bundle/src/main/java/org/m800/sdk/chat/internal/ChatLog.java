package org.m800.sdk.chat.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat store's file: an append-only log ({@code chat.log}) of records. Each record is
 * {@code [length:int][crc32:int][JSON object]}; a torn record at the end (a crash in the middle of a
 * write) is cut off on open. {@link #appendAll} writes the records of one store operation with one
 * {@code write} call, so they survive a crash of the JVM once it returns; the file is forced to the disk (on the disk executor) at most
 * {@link ChatManager#SYNC_INTERVAL_MS} ms after a change. {@link #rewrite} replaces the file with a
 * compact one (written to a new file, forced, then renamed over the old one).
 *
 * <p>Not thread-safe: its {@link ChatStore} calls it under its own monitor.
 */
final class ChatLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatLog.class);
    static final String FILE = "chat.log";
    private static final int MAX_RECORD = 1 << 24;

    private final Path dir;
    private final ScheduledExecutorService scheduler;
    private final Executor disk;
    private FileChannel channel;
    private volatile boolean dirty;
    private ScheduledFuture<?> syncTask;
    private int records;
    /** How many times records were written (a batch of them counts once). */
    private int writes;
    /** How many times the file was forced to the disk (on the disk thread; read by tests). */
    private final AtomicInteger forces = new AtomicInteger();

    private ChatLog(Path dir, ScheduledExecutorService scheduler, Executor disk) {
        this.dir = dir;
        this.scheduler = scheduler;
        this.disk = disk;
    }

    /**
     * Opens (creating if needed) the log in the folder and replays it: blocking disk work.
     *
     * @param replay gets each good record, in file order
     * @throws M800Exception ILLEGAL_STATE if the folder or file cannot be used
     */
    static ChatLog open(Path dir, ScheduledExecutorService scheduler, Executor disk, Consumer<Map<String, Object>> replay) {
        ChatLog log = new ChatLog(dir, scheduler, disk);
        try {
            PrivateFiles.folder(dir);
            Path file = dir.resolve(FILE);
            long good = Files.exists(file) ? log.replay(file, replay) : 0;
            log.channel = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            if (log.channel.size() > good) {
                LOG.warn("chat store {}: cutting a torn record at offset {} (file size {})", dir, good,
                        log.channel.size());
                log.channel.truncate(good);
            }
            log.channel.position(good);
        } catch (IOException e) {
            log.close();
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot open the chat store in " + dir + ": " + e, e);
        }
        return log;
    }

    @SuppressWarnings("unchecked")
    private long replay(Path file, Consumer<Map<String, Object>> replay) throws IOException {
        long good = 0;
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            CRC32 crc = new CRC32();
            while (true) {
                int length;
                int sum;
                byte[] payload;
                try {
                    length = in.readInt();
                    if (length <= 0 || length > MAX_RECORD) {
                        break;
                    }
                    sum = in.readInt();
                    payload = new byte[length];
                    in.readFully(payload);
                } catch (EOFException e) {
                    break;
                }
                crc.reset();
                crc.update(payload);
                if ((int) crc.getValue() != sum) {
                    break;
                }
                replay.accept(Codec.JSON.readValue(payload, Map.class));
                good += 8 + length;
                records++;
            }
        }
        return good;
    }

    /** @return how many writes appended records since the log was opened */
    int writes() {
        return writes;
    }

    /** @return how many times the file was forced to the disk since it was opened */
    int forces() {
        return forces.get();
    }

    /** @return how many records the file holds */
    int records() {
        return records;
    }

    /** Appends a record; it survives a JVM crash once this returns. */
    void append(Map<String, Object> record) {
        appendAll(List.of(record));
    }

    /**
     * Appends records with one {@code write} of the file (one gathered buffer) and schedules at most one
     * force for them; they survive a JVM crash once this returns. A crash during the write leaves a prefix
     * of them (the torn record is cut off on open).
     */
    void appendAll(List<Map<String, Object>> batch) {
        if (channel == null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the chat store in " + dir + " is closed");
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            ByteBuffer frames = batch.size() == 1 ? frame(batch.get(0)) : frames(batch);
            while (frames.hasRemaining()) {
                channel.write(frames);
            }
            records += batch.size();
            writes++;
        } catch (IOException e) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot write the chat store in " + dir + ": " + e, e);
        }
        if (!dirty) {
            dirty = true;
            syncTask = scheduler.schedule(this::queueSync, ChatManager.SYNC_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private static ByteBuffer frame(Map<String, Object> record) throws IOException {
        byte[] payload = Codec.JSON.writeValueAsBytes(record);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        return b;
    }

    private static ByteBuffer frames(List<Map<String, Object>> batch) throws IOException {
        ByteBuffer[] each = new ByteBuffer[batch.size()];
        int total = 0;
        for (int i = 0; i < each.length; i++) {
            each[i] = frame(batch.get(i));
            total += each[i].remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (ByteBuffer b : each) {
            all.put(b);
        }
        return all.flip();
    }

    private void queueSync() {
        try {
            disk.execute(this::force);
        } catch (RejectedExecutionException e) {
            dirty = false; // the SDK is stopping: close() forces the file
        }
    }

    /** Forces the file to the disk; on the disk executor. */
    private void force() {
        dirty = false;
        FileChannel ch = channel;
        try {
            if (ch != null && ch.isOpen()) {
                ch.force(false);
                forces.incrementAndGet();
            }
        } catch (IOException e) {
            LOG.warn("chat store {}: cannot force the file to the disk", dir, e);
        }
    }

    /**
     * Replaces the file by one holding only these records (blocking disk work). If that fails the old
     * file stays in use (logged).
     *
     * @throws M800Exception ILLEGAL_STATE if not even the old file can be reopened
     */
    void rewrite(List<Map<String, Object>> live) {
        Path tmp = dir.resolve(FILE + ".tmp");
        int before = records;
        try {
            try (FileChannel out = PrivateFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (Map<String, Object> r : live) {
                    ByteBuffer frame = frame(r);
                    while (frame.hasRemaining()) {
                        out.write(frame);
                    }
                }
                out.force(true);
            }
            channel.close();
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE, StandardOpenOption.READ);
            channel.position(channel.size());
            records = live.size();
        } catch (IOException e) {
            // keep working on the old file: compaction is only an optimisation
            LOG.warn("chat store {}: cannot compact the log, going on with it as it is: {}", dir, e.toString());
            try {
                if (channel == null || !channel.isOpen()) {
                    channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE, StandardOpenOption.READ);
                    channel.position(channel.size());
                }
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot reopen the chat store in " + dir + ": " + again,
                        again);
            }
            return;
        }
        LOG.info("chat store {}: compacted {} records to {}", dir, before, records);
    }

    /** Forces and closes the file; idempotent. */
    @Override
    public void close() {
        if (syncTask != null) {
            syncTask.cancel(false);
        }
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.force(false);
                ch.close();
            } catch (IOException e) {
                LOG.warn("chat store {}: close failed", dir, e);
            }
        }
    }
}
