package org.m800.sdk.itest.bundles.mediaalt;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaManager;
import org.osgi.service.component.annotations.Component;

/**
 * A bundle that overrides the module {@code media} (ranked 10, deps {@code service.notification}, as the
 * seed's override): its default source is a 700 Hz tone and its default sink keeps the last second heard,
 * which a test reads through {@link Supplier} (a JDK type, so the test needs no class of this bundle).
 */
@Component(service = FeatureBundle.class, property = {FeatureBundle.PROPERTY_FEATURE + "=media-alt",
    "service.ranking:Integer=10"})
public final class MediaAltFeature implements FeatureBundle {

    /** The tone of this bundle's default source. */
    public static final double TONE_HZ = 700;

    private static final List<ModuleDefinition> MODULES = List.of(ModuleDefinition.of(MediaManager.MODULE,
            List.of(NotificationService.MODULE), ctx -> new AltMedia()));

    @Override
    public String name() {
        return "media-alt";
    }

    @Override
    public List<ModuleDefinition> modules() {
        return MODULES;
    }

    /** The overriding media manager of one client. */
    static final class AltMedia implements MediaManager {
        private final LastSecond sink = new LastSecond();

        @Override
        public AudioSource defaultSource() {
            return new Tone();
        }

        @Override
        public AudioSink defaultSink() {
            return sink;
        }
    }

    /** 700 Hz at 48 kHz. */
    static final class Tone implements AudioSource {
        private double phase;

        @Override
        public int sampleRate() {
            return 48_000;
        }

        @Override
        public synchronized boolean read(short[] frame) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (short) (6_000 * Math.sin(phase));
                phase += 2 * Math.PI * TONE_HZ / 48_000;
            }
            phase %= 2 * Math.PI;
            return true;
        }
    }

    /** Keeps the last second written; {@link #get()} copies it (empty before a full second). */
    static final class LastSecond implements AudioSink, Supplier<short[]> {
        private final short[] last = new short[48_000];
        private long written;

        @Override
        public int sampleRate() {
            return 48_000;
        }

        @Override
        public synchronized void write(short[] frame) {
            System.arraycopy(last, frame.length, last, 0, last.length - frame.length);
            System.arraycopy(frame, 0, last, last.length - frame.length, frame.length);
            written += frame.length;
        }

        @Override
        public synchronized short[] get() {
            return written < last.length ? new short[0] : Arrays.copyOf(last, last.length);
        }
    }
}
