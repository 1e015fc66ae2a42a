package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import javax.imageio.ImageIO;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.Profile;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.file.Share;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The file feature in a real Karaf: {@code m800-sdk-file} (which brings {@code m800-sdk-chat}) installed
 * into Karaf while two configured clients run; Alice shares an image into a conversation with Bob (the
 * thumbnail made by the image plug-ins inside Karaf), Bob receives the media message and downloads the
 * file and its thumbnail with the hashes checked.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFileIT extends KarafTestSupport {

    private static final String ALICE = "karaf-file-alice";
    private static final String BOB = "karaf-file-bob";

    @Override
    @Configuration
    public Option[] configuration() {
        return options(karafWithClients(ALICE, BOB).toArray(Option[]::new));
    }

    @Test
    public void theFileFeatureInstallsInKarafAndAFileIsSharedBetweenTwoClients() throws Exception {
        FeaturesService featuresService = featuresService();
        Client alice = readyConfiguredClient(ALICE);
        Client bob = readyConfiguredClient(BOB);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Profile aliceProfile = signUpAndConnect(alice, "fa-" + suffix);
        Profile bobProfile = signUpAndConnect(bob, "fb-" + suffix);
        Events aliceEvents = events(alice);
        Events bobEvents = events(bob);
        int aliceMark = aliceEvents.mark();
        int bobMark = bobEvents.mark();

        featuresService.installFeature("m800-sdk-file", NO_REFRESH);
        uninstallAfterTest(featuresService, "m800-sdk-file", "m800-sdk-chat");
        for (String feature : List.of("chat", FileManager.MODULE)) {
            aliceEvents.await(aliceMark, ClientEvent.FEATURE_READY, feature, TIMEOUT_S);
            bobEvents.await(bobMark, ClientEvent.FEATURE_READY, feature, TIMEOUT_S);
        }
        assertEquals(Bundle.ACTIVE, bundleNamed("org.m800.sdk.file").getState());

        new WithFiles(alice, bob, aliceProfile.userId(), bobProfile.userId()).anImageIsSharedAndDownloaded();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /*
     * Karaf starts without the chat and file APIs: the test class must not link them where JUnit loads
     * it. The nested class is loaded once the feature is there.
     */

    /** The part of the test that uses the chat and file APIs. */
    private final class WithFiles {
        private final Client alice;
        private final Client bob;
        private final String aliceId;
        private final String bobId;
        private final ChatInbox bobInbox = new ChatInbox("bob's chat in Karaf");

        WithFiles(Client alice, Client bob, String aliceId, String bobId) {
            this.alice = alice;
            this.bob = bob;
            this.aliceId = aliceId;
            this.bobId = bobId;
            afterTest(bob.require(ChatManager.class).addListener(bobInbox));
        }

        void anImageIsSharedAndDownloaded() throws Exception {
            Path folder = Files.createTempDirectory("karaf-file-it");
            afterTest(() -> {
                try (var files = Files.walk(folder)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            });
            // a noisy image of more than one chunk, so the upload sends several checked chunks
            BufferedImage image = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
            Random random = new Random(5);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt());
                }
            }
            Path png = folder.resolve("karaf.png");
            assertTrue(ImageIO.write(image, "png", png.toFile()));
            String sha = sha256(png);

            Conversation direct = await(alice.require(ChatManager.class).openDirect(bobId), "openDirect(bob)");
            Share share = alice.require(FileManager.class).share(direct.id(), png, "from Karaf");
            Message sent = await(share.sent(), "the share's message");
            Message got = bobInbox.await(0, sent.id());
            assertEquals(aliceId, got.senderId());
            MessageContent.Media media = (MessageContent.Media) got.content();
            assertEquals("image/png", media.mimeType());
            assertEquals("karaf.png", media.name());
            assertEquals("from Karaf", media.caption());
            assertEquals(Long.valueOf(1600), media.width());
            assertEquals(Long.valueOf(1200), media.height());
            assertEquals(Files.size(png), media.size());
            assertNotNull("the image plug-ins made a thumbnail inside Karaf", media.thumbnailFileId());

            FileManager bobFiles = bob.require(FileManager.class);
            Path target = folder.resolve("bob.png");
            FileInfo down = await(bobFiles.download(media.fileId(), target).result(), "bob's download");
            assertEquals(sha, down.sha256());
            assertEquals(sha, sha256(target));
            Path thumb = folder.resolve("thumb.jpg");
            await(bobFiles.download(media.thumbnailFileId(), thumb).result(), "bob's thumbnail download");
            BufferedImage t = ImageIO.read(thumb.toFile());
            assertNotNull("the thumbnail is an image", t);
            assertEquals("longest side 320 px", 320, Math.max(t.getWidth(), t.getHeight()));
        }
    }
}
