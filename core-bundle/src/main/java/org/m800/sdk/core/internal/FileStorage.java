package org.m800.sdk.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.StorageService;

/**
 * {@link StorageService} as one file per key in {@code <dataDirectory>/store}. A write goes to a
 * temporary file that is forced to disk and then atomically moved over the old one.
 */
final class FileStorage implements StorageService {

    private static final Pattern KEY = Pattern.compile(KEY_PATTERN);
    private static final String SUFFIX = ".bin";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path directory;
    private final Object writeLock = new Object();

    FileStorage(Path dataDirectory) throws IOException {
        this.directory = dataDirectory.resolve("store");
        createPrivateDirectories(directory);
    }

    static void createPrivateDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute);
        }
        if (POSIX) {
            Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx------"));
            Path parent = absolute.getParent();
            Path parentName = parent == null ? null : parent.getFileName();
            if (parentName != null && !parentName.toString().equals(".m800")) {
                // the client's own data directory is private too
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    @Override
    public Optional<byte[]> read(String key) {
        Path file = file(key);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public void write(String key, byte[] value) {
        Path file = file(key);
        if (value == null) {
            throw M800Exception.invalidArgument("value for key " + key + " must not be null");
        }
        synchronized (writeLock) {
            Path temp = directory.resolve("." + key + ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    if (POSIX) {
                        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(value);
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw failure("write", key, e);
            }
        }
    }

    @Override
    public boolean delete(String key) {
        Path file = file(key);
        synchronized (writeLock) {
            try {
                return Files.deleteIfExists(file);
            } catch (IOException e) {
                throw failure("delete", key, e);
            }
        }
    }

    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                Path fileName = f.getFileName();
                if (fileName == null) {
                    continue; // a directory stream yields named entries; the check keeps SpotBugs and readers sure
                }
                String name = fileName.toString();
                keys.add(name.substring(0, name.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot list " + directory + ": " + e, e);
        }
        keys.sort(null);
        return keys;
    }

    private Path file(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw M800Exception.invalidArgument("storage key '" + key + "' is not valid: use 1 to 128 of a-z 0-9 . _ -"
                    + ", starting with a letter or digit");
        }
        return directory.resolve(key + SUFFIX);
    }

    private M800Exception failure(String what, String key, IOException e) {
        return new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot " + what + " key " + key + " in " + directory + ": "
                + e, e);
    }

    @Override
    public String toString() {
        return "FileStorage[" + directory + "]";
    }
}
