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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local chat store of one user: an append-only log file ({@code chat.log}) of snapshots of
 * conversations and messages, replayed into an in-memory index when opened. Each record is
 * {@code [length:int][crc32:int][JSON]}; a torn record at the end (a crash in the middle of a write)
 * is cut off on open. Every change is written with one {@code write} call before the method returns,
 * so it survives a crash of the JVM; the file is forced to the disk at most
 * {@link ChatManager#SYNC_INTERVAL_MS} ms after a change. When the log holds far more records than
 * live objects it is rewritten on open (to a new file, forced, then renamed over the old one).
 *
 * <p>Not thread-safe by itself: callers hold the store's monitor around reads and changes.
 */
final class ChatStore implements AutoCloseable {

    /** One record of the log, as JSON. */
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> RECORD =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };
    private static final Logger LOG = LoggerFactory.getLogger(ChatStore.class);
    private static final String FILE = "chat.log";

    /** A message as stored. */
    static final class Msg {
        String id;
        String conv;
        String sender;
        long seq;
        long ts;
        Map<String, Object> content;
        long editedAt;
        Map<String, List<String>> reactions = Map.of();
        String failure;
        /** Members who never got this (own) message: they blocked its sender when it was sent. */
        List<String> withheldFrom = List.of();

        boolean sending() {
            return seq == 0 && failure == null;
        }

        boolean deleted() {
            return content == null || "deleted".equals(content.get("kind"));
        }
    }

    /** A member as stored. */
    record Mem(String userId, String role, long deliveredUpTo, long readUpTo) {
    }

    /** A conversation as stored (its messages are indexed beside it). */
    static final class Conv {
        String id;
        String kind;
        String title = "";
        List<Mem> members = List.of();
        long lastSeq;
        long myRead;
        long joinedSeq;
        boolean member = true;
        long othersDelivered;
        long othersRead;
        /**
         * Sync has brought every message of the server's history up to this seq (messages hidden from
         * this user included, as absent); a gap below it is not fetched again.
         */
        long syncedTo;
        final TreeMap<Long, Msg> bySeq = new TreeMap<>();
        final LinkedHashMap<String, Msg> unsent = new LinkedHashMap<>();

        long activity() {
            Map.Entry<Long, Msg> last = bySeq.lastEntry();
            long ts = last == null ? 0 : last.getValue().ts;
            for (Msg m : unsent.values()) {
                ts = Math.max(ts, m.ts);
            }
            return ts;
        }
    }

    final String userId;
    final Map<String, Conv> convs = new HashMap<>();
    final Map<String, Msg> byId = new HashMap<>();
    /** Messages not yet accepted, in send order. */
    final LinkedHashMap<String, Msg> outbox = new LinkedHashMap<>();

    private final Path dir;
    private final ScheduledExecutorService scheduler;
    private final Executor disk;
    private FileChannel channel;
    private boolean dirty;
    private ScheduledFuture<?> syncTask;
    private int records;

    private ChatStore(Path dir, String userId, ScheduledExecutorService scheduler, Executor disk) {
        this.dir = dir;
        this.userId = userId;
        this.scheduler = scheduler;
        this.disk = disk;
    }

    /** Opens (creating if needed) the store in the folder and replays it. */
    /**
     * @param scheduler times the forcing of the file to the disk
     * @param disk runs it, so that a slow disk holds up neither the scheduler nor the event threads
     */
    static ChatStore open(Path dir, String userId, ScheduledExecutorService scheduler, Executor disk) {
        ChatStore s = new ChatStore(dir, userId, scheduler, disk);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE);
            long good = Files.exists(file) ? s.replay(file) : 0;
            s.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            if (s.channel.size() > good) {
                LOG.warn("chat store {}: cutting a torn record at offset {} (file size {})", dir, good, s.channel.size());
                s.channel.truncate(good);
            }
            s.channel.position(good);
            if (s.records > 10_000 && s.records > 2 * (s.convs.size() + s.byId.size())) {
                s.compact();
            }
        } catch (IOException e) {
            s.closeQuietly();
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot open the chat store in " + dir + ": " + e, e);
        }
        return s;
    }

    private long replay(Path file) throws IOException {
        long good = 0;
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            CRC32 crc = new CRC32();
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    break;
                }
                if (length <= 0 || length > 1 << 24) {
                    break;
                }
                int sum;
                byte[] payload = new byte[length];
                try {
                    sum = in.readInt();
                    in.readFully(payload);
                } catch (EOFException e) {
                    break;
                }
                crc.reset();
                crc.update(payload);
                if ((int) crc.getValue() != sum) {
                    break;
                }
                apply(Codec.JSON.readValue(payload, RECORD));
                good += 8 + length;
                records++;
            }
        }
        return good;
    }

    @SuppressWarnings("unchecked")
    private void apply(Map<String, Object> r) {
        if ("c".equals(r.get("t"))) {
            Conv c = conv(String.valueOf(r.get("id")), String.valueOf(r.get("k")));
            c.title = String.valueOf(r.getOrDefault("ti", ""));
            List<Mem> members = new ArrayList<>();
            for (Object o : Codec.list(r.get("mb"))) {
                Map<String, Object> m = Codec.map(o);
                members.add(new Mem(String.valueOf(m.get("u")), String.valueOf(m.get("r")), Codec.num(m.get("d")),
                        Codec.num(m.get("rd"))));
            }
            c.members = List.copyOf(members);
            c.lastSeq = Math.max(c.lastSeq, Codec.num(r.get("ls")));
            c.myRead = Codec.num(r.get("mr"));
            c.joinedSeq = Codec.num(r.get("js"));
            c.member = !Boolean.FALSE.equals(r.get("in"));
            c.othersDelivered = Codec.num(r.get("od"));
            c.othersRead = Codec.num(r.get("or"));
            c.syncedTo = Codec.num(r.get("sy"));
        } else if ("m".equals(r.get("t"))) {
            Msg m = new Msg();
            m.id = String.valueOf(r.get("id"));
            m.conv = String.valueOf(r.get("c"));
            m.sender = String.valueOf(r.get("s"));
            m.seq = Codec.num(r.get("q"));
            m.ts = Codec.num(r.get("ts"));
            m.content = r.get("ct") == null ? null : Codec.map(r.get("ct"));
            m.editedAt = Codec.num(r.get("e"));
            Object reactions = r.get("r");
            m.reactions = reactions instanceof Map<?, ?> rm ? (Map<String, List<String>>) rm : Map.of();
            m.failure = (String) r.get("f");
            List<String> withheldFrom = new ArrayList<>();
            Codec.list(r.get("w")).forEach(u -> withheldFrom.add(String.valueOf(u)));
            m.withheldFrom = List.copyOf(withheldFrom);
            index(m);
        }
    }

    /** @return the conversation, created empty if unknown */
    Conv conv(String id, String kind) {
        return convs.computeIfAbsent(id, k -> {
            Conv c = new Conv();
            c.id = id;
            c.kind = kind;
            return c;
        });
    }

    /** Puts a message into the in-memory index, replacing an older snapshot of it. */
    private void index(Msg m) {
        Msg old = byId.put(m.id, m);
        Conv c = conv(m.conv, "direct");
        if (old != null) {
            c.unsent.remove(old.id);
            outbox.remove(old.id);
            if (old.seq > 0) {
                c.bySeq.remove(old.seq);
            }
        }
        if (m.seq > 0) {
            c.bySeq.put(m.seq, m);
            c.lastSeq = Math.max(c.lastSeq, m.seq);
        } else {
            c.unsent.put(m.id, m);
            if (m.failure == null) {
                outbox.put(m.id, m);
            }
        }
    }

    /** Writes a snapshot of the message and indexes it. */
    void save(Msg m) {
        write(messageRecord(m));
        index(m);
    }

    /** Writes a snapshot of the conversation (not its messages). */
    void save(Conv c) {
        write(convRecord(c));
    }

    private static Map<String, Object> convRecord(Conv c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("t", "c");
        r.put("id", c.id);
        r.put("k", c.kind);
        r.put("ti", c.title);
        List<Map<String, Object>> members = new ArrayList<>();
        for (Mem m : c.members) {
            members.add(Map.of("u", m.userId(), "r", m.role(), "d", m.deliveredUpTo(), "rd", m.readUpTo()));
        }
        r.put("mb", members);
        r.put("ls", c.lastSeq);
        r.put("mr", c.myRead);
        r.put("js", c.joinedSeq);
        r.put("in", c.member);
        r.put("od", c.othersDelivered);
        r.put("or", c.othersRead);
        r.put("sy", c.syncedTo);
        return r;
    }

    private void write(Map<String, Object> record) {
        if (channel == null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the chat store is closed");
        }
        try {
            channel.write(frame(record));
            records++;
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

    private void queueSync() {
        try {
            disk.execute(this::sync);
        } catch (RejectedExecutionException e) {
            // the SDK is stopping: close() forces the file
            synchronized (this) {
                dirty = false;
            }
        }
    }

    /** Forces the file to the disk; runs on the disk thread. */
    private void sync() {
        FileChannel ch;
        synchronized (this) {
            dirty = false;
            ch = channel;
        }
        try {
            if (ch != null && ch.isOpen()) {
                ch.force(false);
            }
        } catch (IOException e) {
            LOG.warn("chat store {}: cannot force the file to the disk", dir, e);
        }
    }

    private void compact() throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Conv c : convs.values()) {
                out.write(frame(convRecord(c)));
            }
            List<Msg> all = new ArrayList<>();
            convs.values().forEach(c -> {
                all.addAll(c.bySeq.values());
                all.addAll(c.unsent.values());
            });
            for (Msg m : all) {
                out.write(frame(messageRecord(m)));
            }
            out.force(true);
        }
        channel.close();
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE, StandardOpenOption.READ);
        channel.position(channel.size());
        LOG.info("chat store {}: compacted {} records to {}", dir, records, convs.size() + byId.size());
        records = convs.size() + byId.size();
    }

    private static Map<String, Object> messageRecord(Msg m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("t", "m");
        r.put("id", m.id);
        r.put("c", m.conv);
        r.put("s", m.sender);
        r.put("q", m.seq);
        r.put("ts", m.ts);
        r.put("ct", m.content);
        if (m.editedAt != 0) {
            r.put("e", m.editedAt);
        }
        if (!m.reactions.isEmpty()) {
            r.put("r", m.reactions);
        }
        if (m.failure != null) {
            r.put("f", m.failure);
        }
        if (!m.withheldFrom.isEmpty()) {
            r.put("w", m.withheldFrom);
        }
        return r;
    }

    @Override
    public synchronized void close() {
        if (syncTask != null) {
            syncTask.cancel(false);
        }
        closeQuietly();
    }

    private void closeQuietly() {
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
