package org.m800.sdk.call.internal.media.engine;

/** Signal levels of PCM frames. */
final class Levels {

    private Levels() {
    }

    /** @return the root mean square of the frame relative to full scale, 0..1 */
    static float rms(short[] frame) {
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        return (float) (Math.sqrt(sum / Math.max(1, frame.length)) / 32768.0);
    }
}
