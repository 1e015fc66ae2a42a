package org.m800.server.internal.requests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The server's secret for sealing remembered answers ({@link AnswerSeal}): 32 random bytes in the file
 * {@code request-log.key} of the data directory, made on first start, readable by the owner only. It
 * is kept out of the database so that a copy of the database does not open the answers. Without a data
 * directory (a JDBC URL of its own) the secret lives in memory only, and answers remembered before a
 * restart can no longer be opened: a repeat of such a request id then gets
 * {@code CONFLICT/REQUEST_ID_REUSED}.
 */
public final class ServerSecret {
    static final String FILE = "request-log.key";
    private static final int BYTES = 32;

    private ServerSecret() {
    }

    /**
     * @param dataDirectory the server's data directory, or null for a secret in memory only
     * @return the secret
     * @throws UncheckedIOException if the file cannot be read or made
     */
    public static byte[] load(Path dataDirectory) {
        if (dataDirectory == null) {
            return AnswerSeal.newSecret(BYTES);
        }
        Path file = dataDirectory.resolve(FILE);
        try {
            Files.createDirectories(dataDirectory);
            if (!Files.exists(file)) {
                byte[] secret = AnswerSeal.newSecret(BYTES);
                Path temp = Files.createTempFile(dataDirectory, FILE, ".new");
                try {
                    ownerOnly(temp);
                    Files.write(temp, secret);
                    try {
                        Files.move(temp, file); // atomic enough: two servers on one folder are not supported
                    } catch (FileAlreadyExistsException raced) {
                        // another start won: use its secret
                    }
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            byte[] secret = Files.readAllBytes(file);
            if (secret.length != BYTES) {
                throw new IOException(file + " must hold " + BYTES + " bytes, holds " + secret.length);
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the server secret " + file, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's own permissions apply
        }
    }
}
