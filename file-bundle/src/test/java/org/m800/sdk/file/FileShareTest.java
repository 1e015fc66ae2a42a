package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.files;
import static org.m800.sdk.file.FileFixture.get;
import static org.m800.sdk.file.FileFixture.sha256;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.testing.ReferenceServerFixture;
import org.m800.sdk.testing.TcpProxy;

/** Sharing a file into a conversation: the media message, the thumbnail fetched, access, a restart. */
public class FileShareTest {

    private static final long MIB = 1024 * 1024;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final FileFixture fx = new FileFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void aSharedImageReachesTheMemberWithItsThumbnailAndOnlyMembersMayDownloadIt() throws Exception {
        Client ann = fx.newUser("ann");
        Client bob = fx.newUser("bob");
        Client carol = fx.newUser("carol");
        BlockingQueue<Message> toBob = new LinkedBlockingQueue<>();
        bob.require(ChatManager.class).addListener(new ChatListener() {
            @Override
            public void messageReceived(Message m) {
                toBob.add(m);
            }
        });
        BlockingQueue<Path> thumbs = new LinkedBlockingQueue<>();
        files(bob).addListener(new FileListener() {
            @Override
            public void thumbnailReady(String messageId, String thumbnailFileId, Path thumbnail) {
                thumbs.add(thumbnail);
            }
        });
        Conversation c = get(ann.require(ChatManager.class).openDirect(ReferenceServerFixture.userId(bob)));
        Path image = TestImages.png(fx.newFolder().resolve("holiday.png"), 1200, 600);

        Share share = files(ann).share(c.id(), image, "look");
        Message sent = get(share.sent());
        MessageContent.Media media = (MessageContent.Media) sent.content();
        assertEquals("image/png", media.mimeType());
        assertEquals("holiday.png", media.name());
        assertEquals("look", media.caption());
        assertEquals(Long.valueOf(1200), media.width());
        assertEquals(Long.valueOf(600), media.height());
        assertEquals(Files.size(image), media.size());
        assertNotNull(media.thumbnailFileId());

        Message received = toBob.poll(30, TimeUnit.SECONDS);
        assertNotNull("bob got no message", received);
        MessageContent.Media got = (MessageContent.Media) received.content();
        assertEquals(media.fileId(), got.fileId());
        Path thumb = thumbs.poll(30, TimeUnit.SECONDS);
        assertNotNull("bob's thumbnail was not fetched", thumb);
        BufferedImage t = ImageIO.read(thumb.toFile());
        assertEquals(320, t.getWidth());
        assertEquals(160, t.getHeight());
        assertEquals(thumb, files(bob).thumbnail(got.thumbnailFileId()).orElseThrow());

        Path target = fx.newFolder().resolve("mine.png");
        assertEquals(sha256(image), get(files(bob).download(got.fileId(), target).result()).sha256());
        assertEquals(sha256(image), sha256(target));
        // not a member: as if the file did not exist
        assertEquals(ErrorCode.NOT_FOUND, ReferenceServerFixture.failure(
                files(carol).download(got.fileId(), fx.newFolder().resolve("x")).result()).code());
        assertEquals(ErrorCode.NOT_FOUND, ReferenceServerFixture.failure(files(carol).info(got.thumbnailFileId())).code());
    }

    @Test
    public void aShareInterruptedByARestartIsSentOnceWhenTheUploadFinishes() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fx.server().httpUri(), 3)) {
            Path data = fx.newDataDirectory();
            Client ann = fx.newUser("ann", data, proxy.uri());
            Client bob = fx.newUser("bob");
            List<Message> toBob = new CopyOnWriteArrayList<>();
            CountDownLatch arrived = new CountDownLatch(1);
            bob.require(ChatManager.class).addListener(new ChatListener() {
                @Override
                public void messageReceived(Message m) {
                    toBob.add(m);
                    arrived.countDown();
                }
            });
            Conversation c = get(ann.require(ChatManager.class).openDirect(ReferenceServerFixture.userId(bob)));
            long size = 16 * MIB;
            Path file = fx.randomFile("data.bin", size, 12);
            proxy.rate(4 * MIB);
            Share share = files(ann).share(c.id(), file, null);
            CountDownLatch some = new CountDownLatch(1);
            share.upload().onProgress(p -> {
                if (p.bytesDone() >= FileManager.CHUNK_SIZE) {
                    some.countDown();
                }
            });
            assertTrue(some.await(60, TimeUnit.SECONDS));
            ann.close();
            assertEquals(ErrorCode.CLOSED, ReferenceServerFixture.failure(share.sent()).code());
            assertEquals("nothing may be sent before the upload finished", 0, toBob.size());
            proxy.rate(0);

            fx.open("ann", data, proxy.uri());
            assertTrue("the share was not sent after the restart", arrived.await(60, TimeUnit.SECONDS));
            MessageContent.Media media = (MessageContent.Media) toBob.get(0).content();
            assertEquals(size, media.size());
            assertEquals("data.bin", media.name());
            Path target = fx.newFolder().resolve("data.bin");
            assertEquals(sha256(file), get(files(bob).download(media.fileId(), target).result()).sha256());
            // once, not twice
            get(bob.require(ChatManager.class).sync());
            assertEquals(1, toBob.size());
        }
    }
}
