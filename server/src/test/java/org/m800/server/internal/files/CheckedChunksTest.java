package org.m800.server.internal.files;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.io.content.ChunksContentSource;
import org.eclipse.jetty.util.FutureCallback;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The parsing, writing and hashing of a PATCH of checked chunks below HTTP: frames split at every
 * possible place over the network buffers, an upload that resumes at an offset that is not on a page,
 * the hashing on a thread of its own and in line, a corrupted chunk and a cut body. What stays must be
 * exactly the verified chunks, in the file and in the running SHA-256.
 */
public class CheckedChunksTest {
    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private final StagingBuffers pool = new StagingBuffers();
    private ExecutorService hasher;
    private Path file;

    @Before
    public void setUp() throws IOException {
        hasher = Executors.newSingleThreadExecutor();
        file = folder.newFile("upload").toPath();
    }

    @After
    public void tearDown() throws InterruptedException {
        hasher.shutdownNow();
        assertTrue(hasher.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    public void framesSplitAnywhereMakeTheFileAndItsHashOnAThreadOfItsOwnAndInLine() throws Exception {
        for (boolean inLine : new boolean[] {false, true}) {
            byte[] before = random(1000, 1);
            List<byte[]> chunks = List.of(random(300_000, 2), random(5, 3), random(StagingBuffers.SIZE * 3 + 17, 4));
            byte[] all = concat(before, chunks);
            byte[] body = body(chunks, -1, sha256(all));
            Result r = run(before, chunks, pieces(body, 7), inLine);
            assertEquals(all.length - before.length, r.body.kept());
            assertFalse(r.body.corrupt());
            assertArrayEquals(sha256(all), r.body.declaredSha256());
            assertArrayEquals(all, Files.readAllBytes(file));
            assertArrayEquals(sha256(all), r.writes.whole().digest());
            assertNull(r.writes.failure());
        }
    }

    @Test
    public void aCorruptedChunkKeepsTheChunksBeforeItInTheFileAndTheHash() throws Exception {
        byte[] before = random(4096 + 3, 5);
        List<byte[]> chunks = List.of(random(70_000, 6), random(500_000, 7), random(10, 8));
        byte[] body = body(chunks, 1, null);
        Result r = run(before, chunks, pieces(body, 4093), false);
        assertTrue(r.body.corrupt());
        assertEquals(70_000, r.body.kept());
        assertEquals(70_000, r.writes.keptBytes());
        byte[] kept = concat(before, chunks.subList(0, 1));
        assertArrayEquals(kept, Files.readAllBytes(file));
        assertArrayEquals(sha256(kept), r.writes.whole().digest());
    }

    @Test
    public void aBodyCutInsideAChunkArrivingSlowlyKeepsTheChunksBeforeIt() throws Exception {
        byte[] before = new byte[0];
        List<byte[]> chunks = List.of(random(StagingBuffers.SIZE + 1, 9), random(200_000, 10));
        byte[] body = body(chunks, -1, null);
        int cutAt = 4 + StagingBuffers.SIZE + 1 + 4 + 4 + 100_000;
        AsyncContent source = new AsyncContent();
        Thread sender = new Thread(() -> {
            // written piece by piece from another thread, so the reader waits for each; the cut comes
            // once the reader took them all (a failed source drops what was not read yet)
            try {
                for (int at = 0; at < cutAt; at += 65_536) {
                    int n = Math.min(65_536, cutAt - at);
                    FutureCallback read = new FutureCallback();
                    source.write(false, ByteBuffer.wrap(body, at, n), read);
                    read.get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                source.fail(new IOException("the client went away"));
            }
        });
        sender.start();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            CheckedChunks parsed = new CheckedChunks(chunks.get(0).length + chunks.get(1).length);
            StagedWrites writes = new StagedWrites(out, 0, Digests.sha256(), hasher, pool);
            try {
                assertThrows(IOException.class, () -> parsed.read(source, writes));
            } finally {
                writes.close();
                out.truncate(writes.keptBytes());
            }
            assertEquals(StagingBuffers.SIZE + 1, writes.keptBytes());
            assertArrayEquals(chunks.get(0), Files.readAllBytes(file));
            assertArrayEquals(sha256(chunks.get(0)), writes.whole().digest());
        }
        sender.join(10_000);
    }

    @Test
    public void anUnknownRunningHashStaysUnknownAndTheBytesAreStillWritten() throws Exception {
        List<byte[]> chunks = List.of(random(1234, 11));
        Files.write(file, new byte[100]);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            CheckedChunks parsed = new CheckedChunks(1234);
            StagedWrites writes = new StagedWrites(out, 100, null, hasher, pool);
            try {
                parsed.read(new ChunksContentSource(pieces(body(chunks, -1, null), 1000)), writes);
            } finally {
                writes.close();
            }
            assertEquals(1234, writes.keptBytes());
            assertNull(writes.whole());
        }
        assertEquals(1334, Files.size(file));
    }

    private record Result(CheckedChunks body, StagedWrites writes) {
    }

    private Result run(byte[] before, List<byte[]> chunks, List<Content.Chunk> pieces, boolean inLine)
            throws Exception {
        Files.write(file, before);
        long room = chunks.stream().mapToLong(c -> c.length).sum();
        MessageDigest whole = Digests.sha256();
        whole.update(before);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            CheckedChunks parsed = new CheckedChunks(room);
            StagedWrites writes = new StagedWrites(out, before.length, whole, inLine ? Runnable::run : hasher, pool);
            try {
                parsed.read(new ChunksContentSource(pieces), writes);
            } finally {
                writes.close();
                // what the caller does: the file keeps the verified chunks only
                out.truncate(before.length + writes.keptBytes());
            }
            return new Result(parsed, writes);
        }
    }

    /** The frames of the chunks; the one at {@code corrupt} (if any) with a wrong CRC; the end frame if a hash is given. */
    private static byte[] body(List<byte[]> chunks, int corrupt, byte[] sha256) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            CRC32C crc = new CRC32C();
            crc.update(c);
            out.writeBytes(ByteBuffer.allocate(4).putInt(c.length).array());
            out.writeBytes(c);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ (i == corrupt ? 1 : 0)).array());
        }
        if (sha256 != null) {
            out.writeBytes(new byte[4]);
            out.writeBytes(sha256);
        }
        return out.toByteArray();
    }

    /** The body in network buffers of 1 to {@code max} bytes, the last one marked last. */
    private static List<Content.Chunk> pieces(byte[] body, int max) {
        SplittableRandom r = new SplittableRandom(max);
        List<Content.Chunk> pieces = new ArrayList<>();
        for (int at = 0; at < body.length;) {
            int n = Math.min(body.length - at, 1 + r.nextInt(max));
            pieces.add(Content.Chunk.from(ByteBuffer.wrap(body, at, n).slice(), at + n == body.length));
            at += n;
        }
        return pieces;
    }

    private static byte[] concat(byte[] first, List<byte[]> rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        rest.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    private static byte[] sha256(byte[] b) {
        return Digests.sha256().digest(b);
    }
}
