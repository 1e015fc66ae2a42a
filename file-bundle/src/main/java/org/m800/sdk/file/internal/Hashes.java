package org.m800.sdk.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers; streaming, so no file is ever held in memory. */
final class Hashes {

    static final HexFormat HEX = HexFormat.of();

    private Hashes() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java 17 runtime", e);
        }
    }

    /** Feeds the first {@code length} bytes of a file into the digest. */
    static void update(MessageDigest digest, Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long left = length;
            while (left > 0) {
                buf.clear();
                if (left < buf.capacity()) {
                    buf.limit((int) left);
                }
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException(file + " ended after " + (length - left) + " of " + length + " bytes");
                }
                buf.flip();
                digest.update(buf);
                left -= n;
            }
        }
    }

    /** @return the lower-case hex SHA-256 of the first {@code length} bytes of a file */
    static String sha256Hex(Path file, long length) throws IOException {
        MessageDigest d = sha256();
        update(d, file, length);
        return HEX.formatHex(d.digest());
    }
}
