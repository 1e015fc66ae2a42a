package org.m800.sdk.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.file.Transfer;
import org.m800.sdk.file.TransferProgress;

/** The transfer engine's pure parts: rate and ETA, kept records, settings, error mapping, orientation. */
public class EnginePartsTest {

    @Test
    public void rateAndTimeLeftComeFromTheRecentSamples() {
        ProgressMeter m = new ProgressMeter();
        assertEquals(new TransferProgress(0, 1000, 0, -1), m.progress(0, 1000, true));
        m.sample(0, 0);
        m.sample(1_000_000_000L, 100);
        TransferProgress p = m.progress(100, 1000, true);
        assertEquals(100, p.bytesPerSecond());
        assertEquals(9_000, p.etaMillis());
        // old samples leave the window: the rate follows the recent speed
        m.sample(5_000_000_000L, 500);
        m.sample(6_000_000_000L, 900);
        assertEquals(400, m.progress(900, 1000, true).bytesPerSecond());
        assertEquals(0, m.progress(900, 1000, false).bytesPerSecond());
        assertEquals(-1, m.progress(900, -1, true).etaMillis());
        assertEquals(1.0, new TransferProgress(0, 0, 0, 0).fraction(), 0);
    }

    @Test
    public void aKeptRecordReadsBackTheSame() throws Exception {
        TransferRecord r = new TransferRecord("u0123", Transfer.Direction.UPLOAD, "ä b.jpg", "image/jpeg", 42,
                "ab".repeat(32), "/tmp/x", 1234, "up1", null, null, true);
        assertEquals(r, TransferRecord.fromBytes(r.toBytes()));
        ShareRecord s = new ShareRecord("s1", "c1", "u1", null, "hi", 10L, 20L, null, true, false);
        assertEquals(s, ShareRecord.fromBytes(s.toBytes()));
        assertEquals(s.handed(), ShareRecord.fromBytes(s.handed().toBytes()));
    }

    @Test
    public void settingsHaveDefaultsAndRefuseNonsense() {
        List<String> complaints = new java.util.ArrayList<>();
        FileSettings d = FileSettings.from(Map.of(), complaints::add);
        assertEquals(FileManager.DEFAULT_MAX_CONCURRENT, d.maxConcurrent());
        assertTrue(d.fetchThumbnails());
        FileSettings s = FileSettings.from(Map.of(FileManager.MAX_CONCURRENT_KEY, "5",
                FileManager.FETCH_THUMBNAILS_KEY, "false"), complaints::add);
        assertEquals(5, s.maxConcurrent());
        assertFalse(s.fetchThumbnails());
        assertTrue(complaints.isEmpty());
        assertEquals(FileManager.DEFAULT_MAX_CONCURRENT,
                FileSettings.from(Map.of(FileManager.MAX_CONCURRENT_KEY, 0), complaints::add).maxConcurrent());
        assertEquals(FileManager.DEFAULT_MAX_CONCURRENT,
                FileSettings.from(Map.of(FileManager.MAX_CONCURRENT_KEY, "many"), complaints::add).maxConcurrent());
        assertEquals(2, complaints.size());
    }

    @Test
    public void serverErrorsMapToStableCodesAndNameWhatFailed() {
        var e = Errors.of(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"reason\":\"NO_SUCH_FILE\",\"message\":\"no\"}}",
                "the download of 'a.bin'");
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("'a.bin'") && e.getMessage().contains("NO_SUCH_FILE"));
        assertEquals(ErrorCode.RATE_LIMITED, Errors.of(413,
                "{\"error\":{\"code\":\"INVALID_ARGUMENT\",\"reason\":\"QUOTA_EXCEEDED\",\"message\":\"full\"}}", "x").code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, Errors.of(413, "", "x").code());
        assertEquals(ErrorCode.PROTOCOL, Errors.of(412, "", "x").code());
        assertEquals(ErrorCode.SERVER_ERROR, Errors.of(503, "not json", "x").code());
        assertTrue(Errors.retryable(503));
        assertFalse(Errors.retryable(404));
    }

    @Test
    public void everyExifOrientationShowsTheImageUpright() {
        // a 2 x 1 image: left pixel 1, right pixel 2; each orientation describes how it was stored
        BufferedImage src = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        src.setRGB(0, 0, 1);
        src.setRGB(1, 0, 2);
        assertEquals(List.of(1, 2), pixels(Orientation.apply(src, 1)));
        assertEquals(List.of(2, 1), pixels(Orientation.apply(src, 2)));
        assertEquals(List.of(2, 1), pixels(Orientation.apply(src, 3)));
        assertEquals(List.of(1, 2), pixels(Orientation.apply(src, 4)));
        BufferedImage six = Orientation.apply(src, 6); // rotated 90 degrees clockwise: 1 x 2, left pixel on top
        assertEquals(1, six.getWidth());
        assertEquals(List.of(1, 2), pixels(six));
        assertEquals(List.of(2, 1), pixels(Orientation.apply(src, 8)));
        assertEquals(List.of(1, 2), pixels(Orientation.apply(src, 5)));
        assertEquals(List.of(2, 1), pixels(Orientation.apply(src, 7)));
    }

    private static List<Integer> pixels(BufferedImage img) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                out.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return out;
    }
}
