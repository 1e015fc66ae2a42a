package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.files;
import static org.m800.sdk.file.FileFixture.get;
import static org.m800.sdk.file.FileFixture.sha256;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.testing.ReferenceServerFixture;

/** Uploads and downloads against the real reference server: sizes, streams, hashes, bad input. */
public class FileTransferTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final FileFixture fx = new FileFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void filesOfEverySizeGoUpAndComeBackWithTheSameHash() throws Exception {
        Client ann = fx.newUser("ann");
        FileManager files = files(ann);
        Path out = fx.newFolder();
        long[] sizes = { 0, 1, FileManager.CHUNK_SIZE - 1, FileManager.CHUNK_SIZE, FileManager.CHUNK_SIZE + 1,
            9L * 1024 * 1024 + 7 };
        for (long size : sizes) {
            Path source = fx.randomFile("f" + size + ".bin", size, size);
            String sha = sha256(source);
            Transfer up = files.upload(source, null, null);
            List<TransferProgress> seen = new CopyOnWriteArrayList<>();
            up.onProgress(seen::add);
            FileInfo info = get(up.result());
            assertEquals(size, info.size());
            assertEquals(sha, info.sha256());
            assertEquals("f" + size + ".bin", info.name());
            assertEquals(TransferState.COMPLETED, up.state());
            assertEquals(size, up.progress().bytesDone());

            FileInfo remote = get(files.info(info.fileId()));
            assertEquals(sha, remote.sha256());
            assertEquals(size, remote.size());

            Path target = out.resolve("got-" + size);
            Transfer down = files.download(info.fileId(), target);
            FileInfo got = get(down.result());
            assertEquals(sha, got.sha256());
            assertEquals(sha, sha256(target));
            try (InputStream in = get(files.openStream(info.fileId()))) {
                assertEquals(sha, sha256(in));
            }
        }
        // nothing left behind beside the targets: no partial files
        try (var list = Files.list(out)) {
            assertEquals(sizes.length, list.count());
        }
    }

    @Test
    public void aStreamOfKnownLengthUploadsWithItsTypeDetectedFromTheBytes() throws Exception {
        Client ann = fx.newUser("ann");
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        // a misleading name: the content decides
        FileInfo info = get(files(ann).upload(new ByteArrayInputStream(png), png.length, "note.txt", null).result());
        assertEquals("image/png", info.mimeType());
        assertEquals(png.length, info.size());
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        FileInfo given = get(files(ann).upload(new ByteArrayInputStream(text), text.length, "a.bin", "text/x-given")
                .result());
        assertEquals("text/x-given", given.mimeType());
    }

    @Test
    public void badInputFailsTheFutureAndSaysWhatIsWrong() throws Exception {
        Client ann = fx.newUser("ann");
        FileManager files = files(ann);
        M800Exception e = ReferenceServerFixture.failure(files.upload((Path) null, null, null).result());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        e = ReferenceServerFixture.failure(files.upload(temp.getRoot().toPath().resolve("missing"), null, null).result());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("missing"));
        e = ReferenceServerFixture.failure(files.upload(new ByteArrayInputStream(new byte[3]), 10, "short", null).result());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("short"));
        e = ReferenceServerFixture.failure(files.download("../etc/passwd", fx.newFolder().resolve("x")).result());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        e = ReferenceServerFixture.failure(files.download("nosuchfile", fx.newFolder().resolve("x")).result());
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        e = ReferenceServerFixture.failure(files.info("nosuchfile"));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        // the feature still works
        Path ok = fx.randomFile("ok.bin", 1000, 1);
        assertEquals(sha256(ok), get(files.upload(ok, null, null).result()).sha256());
    }

    @Test
    public void anotherUserCannotSeeTheFile() throws Exception {
        Client ann = fx.newUser("ann");
        Client bob = fx.newUser("bob");
        Path source = fx.randomFile("secret.bin", 5000, 2);
        FileInfo info = get(files(ann).upload(source, null, null).result());
        M800Exception e = ReferenceServerFixture.failure(files(bob).download(info.fileId(),
                fx.newFolder().resolve("x")).result());
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals(ErrorCode.NOT_FOUND, ReferenceServerFixture.failure(files(bob).info(info.fileId())).code());
    }
}
