package org.m800.sdk.call.internal.media.codec;

import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.m800.sdk.call.testing.Goertzel;

/** Opus: a frame lost alone comes back from the next packet's in-band FEC, closer to the original than PLC. */
public class OpusFecTest {

    @Test
    public void aLostFrameIsRebuiltFromTheNextPacket() {
        AudioEncoder encoder = Codecs.encoder(Codecs.SUPPORTED.get(0), 16000);
        AudioDecoder withFec = Codecs.decoder(Codecs.SUPPORTED.get(0), 48000);
        AudioDecoder withPlc = Codecs.decoder(Codecs.SUPPORTED.get(0), 48000);
        short[] pcm = new short[320];
        short[] out = new short[960];
        byte[][] packets = new byte[60][];
        long n = 0;
        for (int f = 0; f < packets.length; f++) {
            for (int i = 0; i < pcm.length; i++, n++) {
                // a tone whose level changes every frame: PLC (which extrapolates) cannot guess it, FEC knows it
                double level = 3000 + 2500 * Math.sin(f * 1.3);
                pcm[i] = (short) (level * Math.sin(2 * Math.PI * 500 * n / 16000));
            }
            byte[] buf = new byte[1500];
            int len = encoder.encode(pcm, buf);
            packets[f] = java.util.Arrays.copyOf(buf, len);
        }
        double fecError = 0;
        double plcError = 0;
        short[] reference = new short[960];
        AudioDecoder clean = Codecs.decoder(Codecs.SUPPORTED.get(0), 48000);
        for (int f = 0; f < packets.length; f++) {
            clean.decode(packets[f], 0, packets[f].length, reference, 0);
            boolean lost = f >= 20 && f % 5 == 0;
            if (lost) {
                withFec.recover(packets[f + 1], out, 0, 960);
                double fec = Goertzel.rms(diff(out, reference));
                withPlc.conceal(out, 0, 960);
                double plc = Goertzel.rms(diff(out, reference));
                fecError += fec;
                plcError += plc;
            } else {
                withFec.decode(packets[f], 0, packets[f].length, out, 0);
                withPlc.decode(packets[f], 0, packets[f].length, out, 0);
            }
        }
        assertTrue("FEC error " + fecError + " vs PLC error " + plcError, fecError < plcError * 0.8);
    }

    private static short[] diff(short[] a, short[] b) {
        short[] d = new short[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, a[i] - b[i]));
        }
        return d;
    }
}
