package org.m800.sdk.call.internal.media.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.Test;

/** G.711 tables against the JDK's own μ-law and A-law conversions (javax.sound.sampled). */
public class G711Test {

    private static boolean ulaw(AudioFormat.Encoding encoding) {
        return encoding == AudioFormat.Encoding.ULAW;
    }

    @Test
    public void decodingIsTheJdksForAll256Codes() throws IOException {
        for (AudioFormat.Encoding encoding : new AudioFormat.Encoding[] {AudioFormat.Encoding.ULAW, AudioFormat.Encoding.ALAW}) {
            byte[] codes = new byte[256];
            for (int i = 0; i < 256; i++) {
                codes[i] = (byte) i;
            }
            AudioFormat g711 = new AudioFormat(encoding, 8000, 8, 1, 1, 8000, false);
            AudioFormat pcm = new AudioFormat(8000, 16, 1, true, true);
            byte[] linear = AudioSystem.getAudioInputStream(pcm,
                    new AudioInputStream(new ByteArrayInputStream(codes), g711, 256)).readAllBytes();
            for (int i = 0; i < 256; i++) {
                short jdk = (short) (((linear[2 * i] & 0xFF) << 8) | (linear[2 * i + 1] & 0xFF));
                short ours = encoding == AudioFormat.Encoding.ULAW ? G711.ulawDecode((byte) i) : G711.alawDecode((byte) i);
                assertEquals(encoding + " code " + i, jdk, ours);
            }
        }
    }

    @Test
    public void encodingIsTheJdksForEverySample() throws IOException {
        byte[] linear = new byte[65536 * 2];
        for (int s = 0; s < 65536; s++) {
            linear[2 * s] = (byte) (s >>> 8);
            linear[2 * s + 1] = (byte) s;
        }
        AudioFormat pcm = new AudioFormat(8000, 16, 1, true, true);
        for (AudioFormat.Encoding encoding : new AudioFormat.Encoding[] {AudioFormat.Encoding.ULAW, AudioFormat.Encoding.ALAW}) {
            AudioFormat g711 = new AudioFormat(encoding, 8000, 8, 1, 1, 8000, false);
            byte[] jdk = AudioSystem.getAudioInputStream(g711,
                    new AudioInputStream(new ByteArrayInputStream(linear), pcm, 65536)).readAllBytes();
            int differ = 0;
            for (int s = 0; s < 65536; s++) {
                short sample = (short) s;
                boolean ulaw = encoding == AudioFormat.Encoding.ULAW;
                byte ours = ulaw ? G711.ulawEncode(sample) : G711.alawEncode(sample);
                // whatever the JDK says, the code decodes to within one quantisation step of the sample
                int back = ulaw ? G711.ulawDecode(ours) : G711.alawDecode(ours);
                int magnitude = Math.abs((int) sample);
                int step = magnitude < 512 ? 32 : Integer.highestOneBit(magnitude) / 8;
                assertTrue(encoding + " sample " + sample + " came back as " + back,
                        Math.abs(back - Math.max(-32635, Math.min(32635, (int) sample))) <= step);
                if (ulaw && magnitude > 32635) {
                    // the JDK's μ-law encoder overflows beyond G.711's clip level (32635) and wraps to the
                    // smallest codes; G.711 saturates: the largest code of the sign
                    assertEquals("sample " + sample, sample > 0 ? (byte) 0x80 : (byte) 0x00, ours);
                    continue;
                }
                if (jdk[s] != ours) {
                    differ++;
                }
            }
            // μ-law: the same codes; A-law: the JDK puts about 1.6 % of the samples (at code edges) in the neighbouring code
            assertTrue(encoding + ": " + differ + " samples encode unlike the JDK", ulaw(encoding) ? differ == 0 : differ < 1100);
        }
    }
}
