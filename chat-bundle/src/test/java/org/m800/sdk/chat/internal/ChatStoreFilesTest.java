package org.m800.sdk.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The chat store's folders and file are the owner's only, whatever the umask (issue 17 item 14). */
public class ChatStoreFilesTest {
    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void foldersAndLogAreOwnerOnly() throws Exception {
        Path data = temp.newFolder("client").toPath();
        assumeTrue("POSIX permissions", Files.getFileStore(data).supportsFileAttributeView("posix"));
        // a permissive umask's result: what the store must not leave as it is
        Path chat = Files.createDirectories(data.resolve("chat"));
        Files.setPosixFilePermissions(chat, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = chat.resolve("u1");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            ChatLog store = ChatLog.open(dir, scheduler, Runnable::run, record -> { });
            store.close();
        } finally {
            scheduler.shutdownNow();
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(chat)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("chat.log"))));
    }
}
