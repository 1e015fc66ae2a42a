package org.m800.sdk.file;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.m800.sdk.core.Subscription;

/**
 * The module {@value #MODULE}: resumable, verified file transfer with the file servers
 * ({@link org.m800.sdk.core.ClientConfig#fileServers()}), media analysis, and media messages in chat.
 *
 * <h2>Transfers</h2>
 * Uploads speak tus 1.0 ({@code docs/protocol.md} section 12) in chunks of {@value #CHUNK_SIZE} bytes,
 * each with a checksum: a file goes in one request of CRC-32C-checked chunks that ends with the whole
 * file's SHA-256 (computed while the file is read, once), a stream in one request per chunk with an
 * {@code Upload-Checksum} (SHA-256). The server checks the whole file's SHA-256 before the file exists.
 * A chunk the server finds corrupted is sent again, not the file. Downloads
 * are written to a temporary file beside the target, resumed with {@code Range}/{@code If-Range} after
 * a cut, and renamed to the target only when their SHA-256 matches the server's; a mismatch fails the
 * transfer with a message naming the file.
 *
 * <p>A cut connection is retried with back-off and goes on from the offset the server reports, not
 * from zero. A transfer's state is kept in the client's storage: a client closed or killed while a
 * transfer runs goes on with it when a client is opened again on the same data directory (an upload
 * from a stream cannot: it fails then, as the stream is gone). At most
 * {@value #DEFAULT_MAX_CONCURRENT} transfers run at once per client (configuration
 * {@value #MAX_CONCURRENT_KEY}); the others are QUEUED. Transfers use their own HTTP client and
 * threads, so they never hold up chat or the IM connection; closing the client (or stopping this
 * bundle) pauses them, and they go on when the module is built again.
 *
 * <h2>Failures</h2>
 * No method throws for bad input or state: a transfer started with bad input is returned FAILED with
 * its {@link Transfer#result()} failed with INVALID_ARGUMENT naming what is wrong; other futures fail
 * with an {@link org.m800.sdk.core.M800Exception} carrying the {@link org.m800.sdk.core.ErrorCode}.
 *
 * <h2>Configuration</h2>
 * Configuration Admin PID {@value #CONFIGURATION_PID} (outside OSGi: system properties
 * {@code m800.file.<key>}): {@value #MAX_CONCURRENT_KEY} (default {@value #DEFAULT_MAX_CONCURRENT}),
 * {@value #FETCH_THUMBNAILS_KEY} (default {@code true}: the thumbnails of received media messages are
 * fetched by themselves into the data directory and announced by {@link FileListener#thumbnailReady}).
 *
 * <p>Thread-safe. Futures complete and listeners run on the client's event threads.
 */
public interface FileManager {

    /** The module name. */
    String MODULE = "file";

    /** The Configuration Admin PID of the file feature's settings. */
    String CONFIGURATION_PID = "org.m800.sdk.file";

    /** Key: how many transfers run at once per client, 1 to 64. */
    String MAX_CONCURRENT_KEY = "maxConcurrentTransfers";

    /** Default of {@value #MAX_CONCURRENT_KEY}. */
    int DEFAULT_MAX_CONCURRENT = 3;

    /** Key: whether thumbnails of received media messages are fetched by themselves. */
    String FETCH_THUMBNAILS_KEY = "fetchThumbnails";

    /** The longest side of a thumbnail, in pixels. */
    int THUMBNAIL_SIZE = 320;

    /** The most pixels (width × height) an image may claim before the SDK decodes it. */
    long MAX_IMAGE_PIXELS = 100_000_000L;

    /** The bytes of one upload chunk (the unit of a checksum and of a resend). */
    int CHUNK_SIZE = 4 * 1024 * 1024;

    /**
     * Uploads a file.
     *
     * @param file a readable regular file
     * @param name the name to give it, or {@code null} for the file's own name
     * @param mimeType its type, or {@code null} to detect it from the content
     * @return the transfer; see {@link Transfer#result()}
     */
    Transfer upload(Path file, String name, String mimeType);

    /**
     * Uploads {@code length} bytes read from a stream, which the SDK closes when the transfer ends. It
     * is resumed after a cut connection, but not after the client closes (it then fails).
     *
     * @param in the bytes; read on the SDK's transfer threads
     * @param length how many bytes it holds, 0 or more; fewer fails the transfer
     * @param name the file name, not blank
     * @param mimeType its type, or {@code null} to detect it from the first bytes
     */
    Transfer upload(InputStream in, long length, String name, String mimeType);

    /**
     * Downloads a file to {@code target}, through a temporary file beside it; an existing target is
     * replaced only once the download is verified.
     *
     * @param fileId the file
     * @param target where to put it; its folder must exist
     */
    Transfer download(String fileId, Path target);

    /**
     * Opens a file as a stream. The stream resumes by itself after a cut (with {@code Range} and
     * {@code If-Range}) and checks the SHA-256 at its end: reading the end of a file whose hash does not
     * match throws an {@link java.io.IOException} naming the file. Reads block the caller.
     *
     * @return the stream, once the server answered; fails with NOT_FOUND and the other errors of
     *         {@link Transfer#result()}
     */
    CompletableFuture<InputStream> openStream(String fileId);

    /** @return the file's info from the server; fails with NOT_FOUND for a file one may not see */
    CompletableFuture<FileInfo> info(String fileId);

    /** @return every transfer this client knows, unfinished ones and those that ended since it started */
    List<Transfer> transfers();

    /** @return the transfer with that id */
    Optional<Transfer> transfer(String transferId);

    /**
     * Reads what a media file is: its type, an image's dimensions and thumbnail, a duration where the
     * container says it. Bounded: an image claiming more than {@value #MAX_IMAGE_PIXELS} pixels is refused
     * (INVALID_ARGUMENT) before it is decoded.
     *
     * @return the analysis; fails with INVALID_ARGUMENT for an unreadable file or a refused image
     */
    CompletableFuture<MediaInfo> analyze(Path file);

    /**
     * Shares a file into a conversation: analyses it, uploads its thumbnail (images) and the file, then
     * sends a {@link org.m800.sdk.chat.MessageContent.Media} with every field through the chat
     * feature. The message is sent only when the uploads have finished, also across a restart of the
     * client. See {@link Share}.
     *
     * @param conversationId a conversation the user is a member of
     * @param file a readable regular file
     * @param caption a caption, or {@code null}
     */
    Share share(String conversationId, Path file, String caption);

    /**
     * @return the local copy of a thumbnail fetched for a received media message (or by
     *         {@link #fetchThumbnail}), if there is one
     */
    Optional<Path> thumbnail(String thumbnailFileId);

    /** Fetches a thumbnail into the data directory now (also when automatic fetching is off). */
    CompletableFuture<Path> fetchThumbnail(String thumbnailFileId);

    /** Adds a listener; see {@link FileListener} for the rules. */
    Subscription addListener(FileListener listener);
}
