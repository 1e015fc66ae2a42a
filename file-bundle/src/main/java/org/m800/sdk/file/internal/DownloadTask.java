package org.m800.sdk.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;

/**
 * A download to a file: the bytes go to a temporary file beside the target ({@code .<name>.<id>.part}),
 * a cut goes on from its length with {@code Range} and {@code If-Range} (the ETag is the SHA-256, so a
 * changed file starts again from zero), and the temporary file becomes the target only when its SHA-256
 * matches the server's.
 */
final class DownloadTask implements TransferTask {

    private static final int BUFFER = 64 * 1024;

    private final FileHttp http;
    private final Duration requestTimeout;
    private MessageDigest digest = Hashes.sha256();
    private long digested;

    DownloadTask(FileHttp http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    static Path temporary(TransferRecord r) {
        Path target = Path.of(r.target());
        return target.resolveSibling("." + target.getFileName() + "." + r.id() + ".part");
    }

    @Override
    public FileInfo attempt(TransferImpl t) throws IOException {
        TransferRecord r = t.record();
        if (r.sha256() == null || r.size() < 0) {
            FileInfo info = FileInfos.fetch(http, r.fileId(), requestTimeout, t.abort);
            t.update(r.withFile(r.fileId(), info.mimeType(), info.size(), info.sha256())).join();
            r = t.record();
        }
        Path temp = temporary(r);
        long have = Files.exists(temp) ? Files.size(temp) : 0;
        if (have > r.size()) {
            have = 0;
        }
        if (digested != have) {
            digest = Hashes.sha256();
            Hashes.update(digest, temp, have);
            digested = have;
        }
        t.offsetKnown(have);
        if (have < r.size() || !Files.exists(temp)) {
            fetch(t, r, temp, have);
        }
        String sha = Hashes.HEX.formatHex(digest.digest());
        digest = Hashes.sha256();
        digested = 0;
        if (!sha.equalsIgnoreCase(r.sha256())) {
            Files.deleteIfExists(temp);
            throw new M800Exception(ErrorCode.INVALID_ARGUMENT, "the download of '" + r.name() + "' (file "
                    + r.fileId() + ") arrived with SHA-256 " + sha + " but the server's is " + r.sha256()
                    + "; the partial file was deleted");
        }
        Path target = Path.of(r.target());
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new FileInfo(r.fileId(), r.name(), r.mimeType(), r.size(), r.sha256().toLowerCase(java.util.Locale.ROOT));
    }

    private void fetch(TransferImpl t, TransferRecord r, Path temp, long have) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        if (have > 0) {
            h.put("Range", "bytes=" + have + "-");
            h.put("If-Range", "\"" + r.sha256() + "\"");
        }
        try (FileHttp.Streamed s = http.stream("GET", "/v1/files/" + r.fileId(), h, t.abort)) {
            long pos;
            boolean append;
            if (s.status() == 206) {
                pos = rangeStart(s);
                if (pos != have) {
                    throw new M800Exception(ErrorCode.PROTOCOL, "the file server answered the range from " + have
                            + " of '" + r.name() + "' with one from " + pos);
                }
                append = true;
            } else if (s.status() == 200) {
                pos = 0;
                append = false;
                digest = Hashes.sha256();
                digested = 0;
            } else if (s.status() == 416) {
                Files.deleteIfExists(temp);
                digest = Hashes.sha256();
                digested = 0;
                throw new IOException("the range from " + have + " was refused (416); starting again from zero");
            } else {
                String body = readSmall(s.body());
                if (Errors.retryable(s.status())) {
                    throw new IOException("GET answered HTTP " + s.status());
                }
                throw Errors.of(s.status(), body, "the download of '" + r.name() + "' (file " + r.fileId() + ")");
            }
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[BUFFER];
                InputStream in = s.body();
                while (pos < r.size()) {
                    t.checkStop();
                    int n = in.read(buf, 0, (int) Math.min(buf.length, r.size() - pos));
                    if (n < 0) {
                        throw new IOException("the download of '" + r.name() + "' was cut at " + pos + " of "
                                + r.size() + " bytes");
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    digest.update(buf, 0, n);
                    pos += n;
                    digested = pos;
                    t.progressed(pos);
                }
                out.force(false);
            }
        }
    }

    static long rangeStart(FileHttp.Streamed s) {
        String range = s.header("Content-Range");
        if (range == null || !range.startsWith("bytes ")) {
            throw new M800Exception(ErrorCode.PROTOCOL, "a 206 answer without a Content-Range");
        }
        try {
            return Long.parseLong(range.substring(6, range.indexOf('-')).strip());
        } catch (RuntimeException e) {
            throw new M800Exception(ErrorCode.PROTOCOL, "a malformed Content-Range: " + range);
        }
    }

    static String readSmall(InputStream in) {
        try {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void cleanUp(TransferImpl t) {
        try {
            Files.deleteIfExists(temporary(t.record()));
        } catch (IOException e) {
            // best effort
        }
    }
}
