package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.files;
import static org.m800.sdk.file.FileFixture.get;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.testing.ReferenceServerFixture;

/** Thumbnails, dimensions and durations of JPEG (EXIF rotated), PNG, WebP, WAV, MP4; a bomb refused. */
public class MediaAnalysisTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final FileFixture fx = new FileFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void imagesGetUprightThumbnailsAndTheirDimensions() throws Exception {
        Client ann = fx.newUser("ann");
        FileManager files = files(ann);
        Path dir = fx.newFolder();

        // 800 x 400, left red / right blue, EXIF 6 = shown rotated 90 degrees clockwise: 400 x 800, red on top
        MediaInfo jpeg = get(files.analyze(TestImages.jpegWithOrientation(dir.resolve("photo.jpg"), 800, 400, 6)));
        assertEquals("image/jpeg", jpeg.mimeType());
        assertEquals(Long.valueOf(400), jpeg.width());
        assertEquals(Long.valueOf(800), jpeg.height());
        BufferedImage t = thumbnail(jpeg);
        assertEquals(160, t.getWidth());
        assertEquals(320, t.getHeight());
        assertEquals("red", TestImages.colour(t, 80, 40));
        assertEquals("blue", TestImages.colour(t, 80, 280));

        MediaInfo png = get(files.analyze(TestImages.png(dir.resolve("pic.png"), 1000, 500)));
        assertEquals("image/png", png.mimeType());
        assertEquals(Long.valueOf(1000), png.width());
        assertEquals(Long.valueOf(500), png.height());
        BufferedImage p = thumbnail(png);
        assertEquals(320, p.getWidth());
        assertEquals(160, p.getHeight());
        assertEquals("red", TestImages.colour(p, 40, 80));
        assertEquals("blue", TestImages.colour(p, 280, 80));

        Path webpFile = dir.resolve("image.webp");
        try (InputStream in = getClass().getResourceAsStream("/media/sample.webp")) {
            Files.copy(in, webpFile);
        }
        MediaInfo webp = get(files.analyze(webpFile));
        assertEquals("image/webp", webp.mimeType());
        assertEquals(Long.valueOf(96), webp.width());
        assertEquals(Long.valueOf(64), webp.height());
        BufferedImage w = thumbnail(webp);
        assertEquals(96, w.getWidth()); // never enlarged
        assertEquals("red", TestImages.colour(w, 10, 32));
        assertEquals("blue", TestImages.colour(w, 85, 32));
    }

    @Test
    public void aDecompressionBombIsRefusedBeforeDecoding() throws Exception {
        Client ann = fx.newUser("ann");
        Path bomb = TestImages.pngClaiming(fx.newFolder().resolve("bomb.png"), 50_000, 50_000);
        M800Exception e = ReferenceServerFixture.failure(files(ann).analyze(bomb));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("50000 x 50000"));
        // and the feature still works
        assertNotNull(get(files(ann).analyze(TestImages.png(fx.newFolder().resolve("ok.png"), 10, 10))).thumbnail());
    }

    @Test
    public void audioAndVideoGetTheirDurationFromTheContainer() throws Exception {
        Client ann = fx.newUser("ann");
        Path wav = fx.newFolder().resolve("sound.wav");
        AudioFormat format = new AudioFormat(8000, 16, 1, true, false);
        byte[] pcm = new byte[8000 * 2 * 3 / 2]; // 1.5 s
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, pcm.length / 2)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
        MediaInfo sound = get(files(ann).analyze(wav));
        assertTrue(sound.mimeType(), sound.mimeType().startsWith("audio/"));
        assertEquals(Long.valueOf(1500), sound.durationMs());
        assertNull(sound.thumbnail());

        Path mp4 = fx.newFolder().resolve("clip.mp4");
        try (InputStream in = getClass().getResourceAsStream("/media/sample.mp4")) {
            Files.copy(in, mp4);
        }
        MediaInfo video = get(files(ann).analyze(mp4));
        assertEquals("video/mp4", video.mimeType());
        assertEquals(Long.valueOf(2000), video.durationMs());
    }

    private static BufferedImage thumbnail(MediaInfo info) throws Exception {
        assertNotNull(info.thumbnail());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(info.thumbnail()));
        assertNotNull(img);
        return img;
    }
}
