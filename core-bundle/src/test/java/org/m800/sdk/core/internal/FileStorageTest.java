package org.m800.sdk.core.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

public class FileStorageTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void writesReadsListsAndDeletes() throws Exception {
        FileStorage storage = new FileStorage(temp.newFolder("client").toPath());
        assertTrue(storage.read("session").isEmpty());
        storage.write("session", new byte[] { 1, 2, 3 });
        storage.write("session", new byte[] { 4 });
        storage.write("connect.cursor.abc", "42".getBytes());
        assertArrayEquals(new byte[] { 4 }, storage.read("session").orElseThrow());
        assertEquals(List.of("connect.cursor.abc", "session"), storage.keys());
        assertTrue(storage.delete("session"));
        assertFalse(storage.delete("session"));
        assertEquals(List.of("connect.cursor.abc"), storage.keys());
        // a second instance on the same folder sees the data: it is on disk
        assertEquals("42", new String(new FileStorage(temp.getRoot().toPath().resolve("client")).read("connect.cursor.abc")
                .orElseThrow()));
    }

    @Test
    public void filesAndFoldersAreTheOwnersOnly() throws Exception {
        Path dir = temp.newFolder("private").toPath();
        FileStorage storage = new FileStorage(dir);
        storage.write("secret", "token".getBytes());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store"))));
            assertEquals("rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store/secret.bin"))));
        }
        try (var files = Files.list(dir.resolve("store"))) {
            assertEquals("no temporary file is left behind", 1, files.count());
        }
    }

    @Test
    public void badKeysAreRefused() throws Exception {
        FileStorage storage = new FileStorage(temp.newFolder().toPath());
        for (String key : new String[] { "", "../escape", "UPPER", "a/b", ".hidden", null }) {
            M800Exception e = assertThrows(M800Exception.class, () -> storage.write(key, new byte[0]));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("storage key"));
        }
        M800Exception e = assertThrows(M800Exception.class, () -> storage.write("ok", null));
        assertTrue(e.getMessage().contains("must not be null"));
    }
}
