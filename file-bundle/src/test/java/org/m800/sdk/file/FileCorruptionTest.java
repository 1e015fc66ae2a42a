package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.files;
import static org.m800.sdk.file.FileFixture.get;
import static org.m800.sdk.file.FileFixture.sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;

/** A chunk damaged on the way to the server is found by its checksum and sent again; the file arrives intact. */
public class FileCorruptionTest {

    private static final long MIB = 1024 * 1024;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final FileFixture fx = new FileFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void aCorruptedChunkIsSentAgainAndOnlyIt() throws Exception {
        long size = 12 * MIB;
        // inside the second chunk's data, far from any HTTP framing
        long flipAt = FileManager.CHUNK_SIZE + 3 * MIB / 2;
        try (CorruptingRelay relay = new CorruptingRelay(fx.server().httpUri(), flipAt)) {
            Client ann = fx.newUser("ann", fx.newDataDirectory(), relay.uri());
            Path source = fx.randomFile("damaged.bin", size, 11);
            String sha = sha256(source);
            FileInfo info = get(files(ann).upload(source, null, null).result());
            assertTrue("the relay never damaged a byte", relay.flipped.get());
            assertEquals(sha, info.sha256());
            Path target = fx.newFolder().resolve("damaged.bin");
            assertEquals(sha, get(files(ann).download(info.fileId(), target).result()).sha256());
            assertEquals(sha, sha256(target));
            long up = relay.upstream.get();
            // the damaged chunk and what followed it in flight went again, not the whole file
            assertTrue("sent " + up + " bytes for a file of " + size, up > size
                    && up <= size + 3L * FileManager.CHUNK_SIZE + MIB);
        }
    }

    /** A TCP relay to the server that flips one bit of the bytes going up, once, at a given position. */
    private static final class CorruptingRelay implements AutoCloseable {
        private final ServerSocket server;
        private final InetSocketAddress target;
        private final long flipAt;
        final AtomicLong upstream = new AtomicLong();
        final AtomicBoolean flipped = new AtomicBoolean();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        CorruptingRelay(URI to, long flipAt) throws IOException {
            this.target = new InetSocketAddress(to.getHost(), to.getPort());
            this.flipAt = flipAt;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            start(this::accept, "corrupting-relay");
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void start(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        private void accept() {
            while (true) {
                try {
                    Socket c = server.accept();
                    Socket u = new Socket();
                    u.connect(target, 5_000);
                    sockets.add(c);
                    sockets.add(u);
                    start(() -> pump(c, u, true), "corrupting-relay-up");
                    start(() -> pump(u, c, false), "corrupting-relay-down");
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean up) {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (up) {
                        long start = upstream.getAndAdd(n);
                        if (start <= flipAt && flipAt < start + n && flipped.compareAndSet(false, true)) {
                            buf[(int) (flipAt - start)] ^= 0x10;
                        }
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // closed
            } finally {
                close(from);
                close(to);
            }
        }

        private static void close(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            sockets.forEach(CorruptingRelay::close);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }
}
