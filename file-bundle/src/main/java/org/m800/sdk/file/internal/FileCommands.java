package org.m800.sdk.file.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.felix.service.command.Descriptor;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.shell.ShellSupport;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileListener;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.file.Share;
import org.m800.sdk.file.Transfer;
import org.m800.sdk.file.TransferProgress;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code m800} for files: {@code fileupload}, {@code filedownload},
 * {@code filetransfers} (with progress), {@code filepause}, {@code fileresume}, {@code filecancel},
 * {@code fileshare}, and {@code filedemo}, an image shared between two new users through the servers
 * of the framework properties {@code m800.defaults.*} (the runtime's embedded server).
 */
@Component(service = FileCommands.class, immediate = true, property = {
        "osgi.command.scope=m800",
        "osgi.command.function=fileupload",
        "osgi.command.function=filedownload",
        "osgi.command.function=filetransfers",
        "osgi.command.function=filepause",
        "osgi.command.function=fileresume",
        "osgi.command.function=filecancel",
        "osgi.command.function=fileshare",
        "osgi.command.function=filedemo" })
public final class FileCommands {

    private final ShellSupport shell;

    /** Called by Declarative Services. */
    @Activate
    public FileCommands(@Reference ShellSupport shell) {
        this.shell = shell;
    }

    /** {@code m800:fileupload <clientId> <path> [name]}: starts an upload; prints its transfer id. */
    @Descriptor("starts an upload; prints 'transfer <id>'")
    public String fileupload(@Descriptor("the client id") String clientId,
            @Descriptor("the file's path") String path,
            @Descriptor("the name the file gets (default: the file's own)") String... name) {
        Transfer t = files(clientId).upload(Path.of(path), name.length > 0 ? name[0] : null, null);
        return shell.result("transfer " + t.id() + " " + t.state() + " (m800:filetransfers " + clientId + " follows it)",
                Map.of("transfer", t.id(), "state", t.state().toString()));
    }

    /** {@code m800:filedownload <clientId> <fileId> <path>}: starts a download to the path. */
    @Descriptor("starts a download to a path; prints 'transfer <id>'")
    public String filedownload(@Descriptor("the client id") String clientId,
            @Descriptor("the file's id (or what m800:fileupload's transfer printed as 'file <id>')") String fileId,
            @Descriptor("where the file goes (renamed into place once its SHA-256 matches)") String path) {
        Transfer t = files(clientId).download(shell.id("file", fileId), Path.of(path));
        return shell.result("transfer " + t.id() + " " + t.state() + " (m800:filetransfers " + clientId + " follows it)",
                Map.of("transfer", t.id(), "state", t.state().toString()));
    }

    /** {@code m800:filetransfers <clientId>}: every transfer with its state and progress. */
    @Descriptor("every transfer of a client with its state and progress")
    public String filetransfers(@Descriptor("the client id") String clientId) {
        StringBuilder out = new StringBuilder();
        for (Transfer t : files(clientId).transfers()) {
            out.append(line(t)).append('\n');
        }
        return shell.text(out.length() == 0 ? "no transfers" : out.toString().stripTrailing());
    }

    /** {@code m800:filepause <clientId> <transferId>} */
    @Descriptor("pauses a transfer")
    public String filepause(@Descriptor("the client id") String clientId,
            @Descriptor("the transfer's id, or what m800:fileupload printed") String transferId) {
        return onTransfer(clientId, transferId, Transfer::pause);
    }

    /** {@code m800:fileresume <clientId> <transferId>} */
    @Descriptor("resumes a paused transfer")
    public String fileresume(@Descriptor("the client id") String clientId,
            @Descriptor("the transfer's id, or what m800:fileupload printed") String transferId) {
        return onTransfer(clientId, transferId, Transfer::resume);
    }

    /** {@code m800:filecancel <clientId> <transferId>} */
    @Descriptor("cancels a transfer")
    public String filecancel(@Descriptor("the client id") String clientId,
            @Descriptor("the transfer's id, or what m800:fileupload printed") String transferId) {
        return onTransfer(clientId, transferId, Transfer::cancel);
    }

    /** Finds the transfer, does {@code action} to it and prints its line. */
    private String onTransfer(String clientId, String transferId, Consumer<Transfer> action) {
        Transfer t = transfer(clientId, transferId);
        action.accept(t);
        return shell.text(line(t));
    }

    /**
     * {@code m800:fileshare <clientId> <conversationId> <path> [caption...]}: shares a file into a
     * conversation; waits until the message is in chat's outbox.
     */
    @Descriptor("shares a file into a conversation; waits until the message is in chat's outbox; prints 'message <id>'")
    public String fileshare(@Descriptor("the client id") String clientId,
            @Descriptor("the conversation: its id, or what m800:chatopen printed") String conversationId,
            @Descriptor("the file's path") String path, @Descriptor("the caption (words)") String... caption)
            throws InterruptedException {
        Share s = files(clientId).share(shell.id("conversation", conversationId), Path.of(path), caption.length == 0 ? null
                : String.join(" ", caption));
        Message m = join(s.sent(), 600);
        MessageContent.Media media = (MessageContent.Media) m.content();
        return shell.result("message " + m.id() + " shared: " + describe(media),
                Map.of("message", m.id(), "file", media.fileId()));
    }

    /**
     * {@code m800:filedemo}: two new users; the first shares an image into their conversation; the
     * second gets the message, its thumbnail by itself, then downloads the file and checks its hash.
     */
    @Descriptor("two new users share an image through the runtime's embedded server: thumbnail, download and hash check")
    public String filedemo() throws Exception {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Path folder = Files.createTempDirectory("m800-filedemo-");
        Client alice = demoClient("demo-alice-" + suffix, folder.resolve("alice"));
        Client bob = demoClient("demo-bob-" + suffix, folder.resolve("bob"));
        try {
            join(alice.require(AccountManager.class).signUp("alice-" + suffix, "demo-password", "Alice"), 30);
            join(bob.require(AccountManager.class).signUp("bob-" + suffix, "demo-password", "Bob"), 30);
            log.add("signed up alice-" + suffix + " and bob-" + suffix);
            CompletableFuture<Message> bobGot = new CompletableFuture<>();
            bob.require(ChatManager.class).addListener(new ChatListener() {
                @Override
                public void messageReceived(Message message) {
                    bobGot.complete(message);
                }
            });
            CompletableFuture<Path> thumb = new CompletableFuture<>();
            bob.require(FileManager.class).addListener(new FileListener() {
                @Override
                public void thumbnailReady(String messageId, String thumbnailFileId, Path thumbnail) {
                    thumb.complete(thumbnail);
                }
            });
            Path image = folder.resolve("sunset.png");
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1280, 720,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, 0, 720, java.awt.Color.MAGENTA));
            g.fillRect(0, 0, 1280, 720);
            g.dispose();
            javax.imageio.ImageIO.write(img, "png", image.toFile());
            String bobId = bob.require(AccountManager.class).profile().orElseThrow().userId();
            Conversation conv = join(alice.require(ChatManager.class).openDirect(bobId), 30);
            Share share = alice.require(FileManager.class).share(conv.id(), image, "the view from here");
            share.upload().onProgress(p -> log.add("alice uploading: " + progress(p)));
            Message sent = join(share.sent(), 120);
            log.add("alice shared " + image.getFileName() + " as message " + sent.id());
            MessageContent.Media media = (MessageContent.Media) join(bobGot, 60).content();
            log.add("bob received: " + describe(media));
            log.add("bob's thumbnail, fetched by itself: " + join(thumb, 60));
            Path copy = folder.resolve("bob-" + image.getFileName());
            FileInfo got = join(bob.require(FileManager.class).download(media.fileId(), copy).result(), 120);
            log.add("bob downloaded " + got.size() + " bytes to " + copy + ", SHA-256 " + got.sha256() + " verified");
        } finally {
            alice.close();
            bob.close();
        }
        return shell.text(String.join("\n", log));
    }

    private Client demoClient(String id, Path data) throws Exception {
        return shell.demoClient(id, data, List.of(), FileManager.MODULE);
    }

    private static String describe(MessageContent.Media m) {
        return m.name() + " (" + m.mimeType() + ", " + m.size() + " bytes"
                + (m.width() == null ? "" : ", " + m.width() + "x" + m.height())
                + (m.durationMs() == null ? "" : ", " + m.durationMs() + " ms") + ") file " + m.fileId()
                + (m.thumbnailFileId() == null ? "" : " thumbnail " + m.thumbnailFileId())
                + (m.caption() == null ? "" : " \"" + m.caption() + "\"");
    }

    static String line(Transfer t) {
        return t.id() + " " + t.direction().name().toLowerCase(Locale.ROOT) + " '" + t.name() + "' " + t.state() + " "
                + progress(t.progress()) + t.fileId().map(id -> " file " + id).orElse("");
    }

    static String progress(TransferProgress p) {
        String total = p.totalBytes() < 0 ? "?" : Long.toString(p.totalBytes());
        String pct = p.totalBytes() <= 0 ? "" : String.format(Locale.ROOT, " %.1f%%", 100 * p.fraction());
        String rate = p.bytesPerSecond() <= 0 ? "" : String.format(Locale.ROOT, " %.1f KiB/s", p.bytesPerSecond() / 1024.0);
        String eta = p.etaMillis() < 0 ? "" : " ETA " + (p.etaMillis() + 999) / 1000 + " s";
        return p.bytesDone() + "/" + total + pct + rate + eta;
    }

    private Transfer transfer(String clientId, String transferId) {
        String id = shell.id("transfer", transferId);
        return files(clientId).transfer(id).orElseThrow(() -> new M800Exception(ErrorCode.NOT_FOUND,
                "no transfer " + id + " in client " + clientId + "; m800:filetransfers lists them"));
    }

    private FileManager files(String clientId) {
        return shell.feature(clientId, FileManager.class);
    }

    private <T> T join(CompletableFuture<T> future, int seconds) throws InterruptedException {
        return shell.join(future, java.time.Duration.ofSeconds(seconds));
    }
}
