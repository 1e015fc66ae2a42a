package org.m800.server.internal.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bytes of uploads and files: one file per upload id in one folder. Paths are made only from ids
 * the server generated (checked against {@link #ID}); names sent by users never become paths.
 * Thread-safe; the caller keeps two writers off one id.
 */
final class FileBytes {
    /** {@code f-} and 22 base64url characters: what {@code Tokens.newId("f-")} makes. */
    static final Pattern ID = Pattern.compile("f-[A-Za-z0-9_-]{22}");
    private static final int BUFFER = 64 * 1024;
    /** The buffer of a download: 256 KiB off the heap. */
    private static final int COPY_BUFFER = 256 * 1024;

    private final Path directory;

    FileBytes(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    Path directory() {
        return directory;
    }

    /** @throws IllegalArgumentException if the id is not one the server makes */
    Path path(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a file id");
        }
        return directory.resolve(id);
    }

    /**
     * Opens the upload's bytes for writing at {@code offset}, dropping whatever lies beyond it (bytes
     * a crash left after the last recorded offset).
     */
    FileChannel openAt(String id, long offset) throws IOException {
        FileChannel ch = FileChannel.open(path(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            ch.truncate(offset);
            ch.position(offset);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Creates the (empty) bytes of a new upload. */
    void create(String id) throws IOException {
        Files.deleteIfExists(path(id));
        Files.createFile(path(id));
    }

    void delete(String id) throws IOException {
        Files.deleteIfExists(path(id));
    }

    boolean exists(String id) {
        return Files.exists(path(id));
    }

    /** @return lowercase hex SHA-256 of the first {@code length} bytes, read in a bounded buffer */
    String sha256(String id, long length) throws IOException {
        MessageDigest digest = Digests.sha256();
        try (InputStream in = Files.newInputStream(path(id))) {
            byte[] buffer = new byte[BUFFER];
            long left = length;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                digest.update(buffer, 0, n);
                left -= n;
            }
            if (left > 0) {
                throw new IOException("the bytes of " + id + " are shorter than " + length);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** @return the ids of every stored byte file (for the orphan check) */
    List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path p : files) {
                Path name = p.getFileName();
                if (name != null && ID.matcher(name.toString()).matches()) {
                    ids.add(name.toString());
                }
            }
        }
        return ids;
    }

    /**
     * Reads {@code length} bytes at {@code position} into the sink, in one bounded direct buffer (the
     * file channel reads into it without a copy through the heap, and the socket writes from it).
     */
    void copy(String id, long position, long length, ByteSink sink) throws IOException {
        try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(COPY_BUFFER);
            long pos = position;
            long end = position + length;
            while (pos < end) {
                buffer.clear().limit((int) Math.min(COPY_BUFFER, end - pos));
                while (buffer.hasRemaining()) {
                    int n = ch.read(buffer, pos + buffer.position());
                    if (n < 0) {
                        throw new IOException("the bytes of " + id + " end before " + end);
                    }
                }
                buffer.flip();
                pos += buffer.remaining();
                sink.write(buffer);
            }
        }
    }

    /** Where {@link #copy} writes; the buffer is reused once {@code write} returns. */
    @FunctionalInterface
    interface ByteSink {
        void write(ByteBuffer bytes) throws IOException;
    }
}
