package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.files;
import static org.m800.sdk.file.FileFixture.get;
import static org.m800.sdk.file.FileFixture.sha256;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.testing.TcpProxy;

/** The client's JVM killed mid-upload (a child process, SIGKILL) and started again on its data folder. */
public class FileKillTest {

    private static final long MIB = 1024 * 1024;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final FileFixture fx = new FileFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void anUploadOfAKilledClientResumesAndCompletesAfterARestart() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fx.server().httpUri(), 9)) {
            Path data = fx.newDataDirectory();
            fx.newUser("ann", data, proxy.uri()).close();
            long size = 24 * MIB;
            Path source = fx.randomFile("killed.bin", size, 11);
            String sha = sha256(source);
            proxy.rate(6 * MIB);

            Path log = temp.newFile("child.log").toPath();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), UploadChild.class.getName(),
                    fx.server().imUri().toString(), fx.server().httpUri().toString(), proxy.uri().toString(),
                    data.toString(), source.toString());
            pb.redirectError(log.toFile());
            Process child = pb.start();
            String transferId = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("TRANSFER ")) {
                        transferId = line.substring(9);
                    } else if (line.startsWith("PROGRESS ") && Long.parseLong(line.substring(9)) > size / 3) {
                        break;
                    }
                }
                assertNotNull("the child started no upload; see " + log, transferId);
                assertTrue("the child ended before a third was sent; see " + log, line != null);
                // the child's progress counts what it wrote to its socket: wait until a third went through
                // the proxy too (buffers in between hold a few MiB)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (proxy.upstream.get() <= size / 3 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5); // polling the proxy's counter, not pacing the test
                }
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
            long sentByChild = proxy.upstream.get();
            assertTrue("the killed client sent " + sentByChild + " of " + size, sentByChild > size / 3);
            proxy.rate(0);

            Client again = fx.open("ann", data, proxy.uri());
            Transfer resumed = FileResumeTest.waitForTransfer(files(again), transferId);
            FileInfo info = get(resumed.result());
            assertEquals(sha, info.sha256());
            long total = proxy.upstream.get();
            assertTrue("sent " + total + " in all (" + sentByChild + " by the killed client) for " + size,
                    total <= size + 2L * FileManager.CHUNK_SIZE + MIB);
        }
    }
}
