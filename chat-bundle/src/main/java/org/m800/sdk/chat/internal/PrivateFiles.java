package org.m800.sdk.chat.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The chat store's folders and files are the owner's only (0700 / 0600 where the file system has
 * POSIX permissions), whatever the umask: they hold the user's messages (issue 17 item 14).
 */
final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates the folder if needed; it and its parent (the feature's folder) become the owner's only. */
    static void folder(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute);
        if (POSIX) {
            Files.setPosixFilePermissions(absolute, FOLDER);
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.setPosixFilePermissions(parent, FOLDER);
            }
        }
    }

    /** Opens the file; one it creates is the owner's only from the start, one that exists becomes so. */
    static FileChannel open(Path file, OpenOption... options) throws IOException {
        if (!POSIX) {
            return FileChannel.open(file, options);
        }
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(FILE);
        FileChannel ch = FileChannel.open(file, Set.of(options), ownerOnly);
        Files.setPosixFilePermissions(file, FILE);
        return ch;
    }
}
