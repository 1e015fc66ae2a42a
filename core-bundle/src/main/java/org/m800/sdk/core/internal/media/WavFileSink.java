package org.m800.sdk.core.internal.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.media.AudioSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes 16-bit mono PCM to a WAV file: frames are gathered in memory and handed to the disk executor a
 * second at a time, so the media thread never writes the disk; {@link #close()} writes the rest and the
 * header's sizes and waits for it.
 */
final class WavFileSink implements AudioSink {

    private static final Logger LOG = LoggerFactory.getLogger(WavFileSink.class);
    private static final int HEADER = 44;

    private final Path file;
    private final int rate;
    private final Executor disk;
    private final FileChannel channel;
    private ByteBuffer pending;
    private long bytes;
    private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
    private boolean closed;

    WavFileSink(Path file, int rate, Executor disk) {
        this.file = file;
        this.rate = Rates.check(rate);
        this.disk = disk;
        if (file == null) {
            throw M800Exception.invalidArgument("no WAV file given");
        }
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            channel.write(header(0));
        } catch (IOException e) {
            throw new M800Exception(ErrorCode.INVALID_ARGUMENT, "cannot create " + file + ": " + e, e);
        }
        pending = newBuffer();
    }

    private ByteBuffer newBuffer() {
        return ByteBuffer.allocate(rate * 2).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public synchronized void write(short[] frame) {
        if (closed) {
            return;
        }
        if (pending.remaining() < frame.length * 2) {
            flush();
        }
        for (short s : frame) {
            pending.putShort(s);
        }
        bytes += frame.length * 2L;
    }

    private void flush() {
        ByteBuffer full = pending.flip();
        pending = newBuffer();
        written = written.thenRunAsync(() -> {
            try {
                while (full.hasRemaining()) {
                    channel.write(full);
                }
            } catch (IOException e) {
                LOG.warn("writing {} failed", file, e);
            }
        }, disk);
    }

    @Override
    public void close() {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            flush();
            long total = bytes;
            done = written.thenRunAsync(() -> {
                try {
                    channel.write(header(total), 0);
                } catch (IOException e) {
                    LOG.warn("writing the header of {} failed", file, e);
                } finally {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        LOG.debug("closing {}", file, e);
                    }
                }
            }, disk);
        }
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("finishing {} failed", file, e);
        }
    }

    private ByteBuffer header(long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
        h.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return h.flip();
    }
}
