package org.m800.sdk.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;

import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;

/**
 * A file read as a stream from the file server: a cut is resumed with {@code Range} and
 * {@code If-Range} from the bytes already read (a few times, with a back-off), and the SHA-256 of the
 * whole file is checked when its end is read. Not thread-safe, as streams are.
 */
final class ResumingStream extends InputStream {

    private static final int MAX_RESUMES = 8;

    private final FileHttp http;
    private final FileInfo info;
    private final MessageDigest digest = Hashes.sha256();
    private FileHttp.Streamed current;
    private long pos;
    private int resumes;
    private boolean verified;
    private boolean closed;

    private ResumingStream(FileHttp http, FileInfo info, FileHttp.Streamed first) {
        this.http = http;
        this.info = info;
        this.current = first;
    }

    /** Asks the file's info and opens the stream (on a thread that may block). */
    static ResumingStream open(FileHttp http, String fileId, Duration timeout) throws IOException {
        FileInfo info = FileInfos.fetch(http, fileId, timeout, null);
        FileHttp.Streamed s = http.stream("GET", "/v1/files/" + fileId, Map.of(), null);
        if (s.status() != 200) {
            String body = DownloadTask.readSmall(s.body());
            s.close();
            if (Errors.retryable(s.status())) {
                throw new IOException("GET answered HTTP " + s.status());
            }
            throw Errors.of(s.status(), body, "the file " + fileId);
        }
        return new ResumingStream(http, info, s);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the stream of '" + info.name() + "' is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (pos >= info.size()) {
                verify();
                return -1;
            }
            try {
                int n = current.body().read(b, off, (int) Math.min(len, info.size() - pos));
                if (n < 0) {
                    throw new IOException("cut at " + pos + " of " + info.size() + " bytes");
                }
                digest.update(b, off, n);
                pos += n;
                return n;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    private void resume(IOException cause) throws IOException {
        current.close();
        if (++resumes > MAX_RESUMES) {
            throw new IOException("the stream of '" + info.name() + "' (file " + info.fileId() + ") was cut "
                    + resumes + " times; the last: " + cause.getMessage(), cause);
        }
        try {
            Thread.sleep(Math.min(5_000, 100L << resumes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        FileHttp.Streamed s;
        try {
            s = http.stream("GET", "/v1/files/" + info.fileId(),
                    Map.of("Range", "bytes=" + pos + "-", "If-Range", "\"" + info.sha256() + "\""), null);
        } catch (M800Exception e) {
            throw new IOException(e.getMessage(), e);
        } catch (IOException e) {
            current = new FileHttp.Streamed(0, null, InputStream.nullInputStream());
            resume(e);
            return;
        }
        if (s.status() != 206 || DownloadTask.rangeStart(s) != pos) {
            s.close();
            throw new IOException("the file '" + info.name() + "' (" + info.fileId() + ") cannot be resumed at " + pos
                    + ": the server answered HTTP " + s.status() + " (did it change?)");
        }
        current = s;
    }

    private void verify() throws IOException {
        if (verified) {
            return;
        }
        String sha = Hashes.HEX.formatHex(digest.digest());
        verified = true;
        if (!sha.equalsIgnoreCase(info.sha256())) {
            throw new IOException("the file '" + info.name() + "' (" + info.fileId() + ") arrived with SHA-256 " + sha
                    + " but the server's is " + info.sha256());
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            current.close();
        }
    }
}
