package org.m800.sdk.file.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileListener;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.file.Share;
import org.m800.sdk.file.Transfer;
import org.m800.sdk.file.TransferProgress;
import org.osgi.framework.BundleContext;
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

    private static final String[] DEFAULT_KEYS = { AppMeta.CARRIER, AppMeta.APPLICATION_IDENTIFIER,
        AppMeta.APPLICATION_KEY, AppMeta.APPLICATION_SECRET, AppMeta.DEVELOPER_KEY, AppMeta.APPLICATION_VERSION,
        ClientConfig.IM_SERVERS, ClientConfig.SIGN_UP_SERVERS, ClientConfig.FILE_SERVERS };

    private final BundleContext context;
    private final ClientFactory factory;

    /** Called by Declarative Services. */
    @Activate
    public FileCommands(BundleContext context, @Reference ClientFactory factory) {
        this.context = context;
        this.factory = factory;
    }

    /** {@code m800:fileupload <clientId> <path> [name]}: starts an upload; prints its transfer id. */
    public String fileupload(String clientId, String path, String... name) {
        Transfer t = files(clientId).upload(Path.of(path), name.length > 0 ? name[0] : null, null);
        return "transfer " + t.id() + " " + t.state() + " (m800:filetransfers " + clientId + " follows it)";
    }

    /** {@code m800:filedownload <clientId> <fileId> <path>}: starts a download to the path. */
    public String filedownload(String clientId, String fileId, String path) {
        Transfer t = files(clientId).download(fileId, Path.of(path));
        return "transfer " + t.id() + " " + t.state() + " (m800:filetransfers " + clientId + " follows it)";
    }

    /** {@code m800:filetransfers <clientId>}: every transfer with its state and progress. */
    public String filetransfers(String clientId) {
        StringBuilder out = new StringBuilder();
        for (Transfer t : files(clientId).transfers()) {
            out.append(line(t)).append('\n');
        }
        return out.length() == 0 ? "no transfers" : out.toString().stripTrailing();
    }

    /** {@code m800:filepause <clientId> <transferId>} */
    public String filepause(String clientId, String transferId) {
        Transfer t = transfer(clientId, transferId);
        t.pause();
        return line(t);
    }

    /** {@code m800:fileresume <clientId> <transferId>} */
    public String fileresume(String clientId, String transferId) {
        Transfer t = transfer(clientId, transferId);
        t.resume();
        return line(t);
    }

    /** {@code m800:filecancel <clientId> <transferId>} */
    public String filecancel(String clientId, String transferId) {
        Transfer t = transfer(clientId, transferId);
        t.cancel();
        return line(t);
    }

    /**
     * {@code m800:fileshare <clientId> <conversationId> <path> [caption...]}: shares a file into a
     * conversation; waits until the message is in chat's outbox.
     */
    public String fileshare(String clientId, String conversationId, String path, String... caption)
            throws InterruptedException {
        Share s = files(clientId).share(conversationId, Path.of(path), caption.length == 0 ? null
                : String.join(" ", caption));
        Message m = join(s.sent(), 600);
        return "shared as message " + m.id() + ": " + describe((MessageContent.Media) m.content());
    }

    /**
     * {@code m800:filedemo}: two new users; the first shares an image into their conversation; the
     * second gets the message, its thumbnail by itself, then downloads the file and checks its hash.
     */
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
        return String.join("\n", log);
    }

    private Client demoClient(String id, Path data) throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : DEFAULT_KEYS) {
            String value = context.getProperty("m800.defaults." + key);
            if (value != null) {
                map.put(key, value);
            }
        }
        if (!map.containsKey(ClientConfig.IM_SERVERS)) {
            throw M800Exception.invalidArgument("no m800.defaults.imServers framework property: start the runtime with "
                    + "its embedded server");
        }
        map.put(ClientConfig.DATA_DIRECTORY, data.toString());
        map.put(ClientConfig.CLIENT_ID, id);
        Client c = factory.create(AppMeta.fromMap(map), ClientConfig.fromMap(map));
        CompletableFuture<String> ready = new CompletableFuture<>();
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(FileManager.MODULE)) {
                ready.complete(name);
            }
        });
        join(ready, 30);
        return c;
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
        return files(clientId).transfer(transferId).orElseThrow(() -> new M800Exception(ErrorCode.NOT_FOUND,
                "no transfer " + transferId + " in client " + clientId + "; m800:filetransfers lists them"));
    }

    private FileManager files(String clientId) {
        Client client = factory.clients().stream().filter(c -> c.id().equals(clientId)).findFirst().orElse(null);
        if (client == null) {
            try {
                for (var ref : context.getServiceReferences(Client.class, null)) {
                    Client c = context.getService(ref);
                    if (c != null && c.id().equals(clientId)) {
                        client = c;
                    }
                    context.ungetService(ref);
                }
            } catch (org.osgi.framework.InvalidSyntaxException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        if (client == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "no client " + clientId + "; m800:clients lists them");
        }
        return client.require(FileManager.class);
    }

    private static <T> T join(CompletableFuture<T> future, int seconds) throws InterruptedException {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                throw new M800Exception(m.code(), m.getMessage(), m);
            }
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "no answer within " + seconds + " s");
        }
    }
}
