package org.m800.sdk.call.internal.media.codec;

import java.util.List;
import java.util.Locale;

import org.m800.sdk.call.internal.media.AudioCodecSpec;

/** The codecs the engine speaks, as SDP names them, and the encoders and decoders for an agreed one. */
public final class Codecs {

    /** Opus's dynamic payload type in our offers. */
    public static final int OPUS_PT = 111;
    /** RFC 4733 telephone-events at 48 kHz (with Opus) in our offers. */
    public static final int EVENTS_48K_PT = 110;
    /** RFC 4733 telephone-events at 8 kHz (with G.711) in our offers. */
    public static final int EVENTS_8K_PT = 101;

    /** What this engine offers, most preferred first. */
    public static final List<AudioCodecSpec> SUPPORTED = List.of(
            new AudioCodecSpec("opus", OPUS_PT, 48000, 2),
            new AudioCodecSpec("PCMU", 0, 8000, 1),
            new AudioCodecSpec("PCMA", 8, 8000, 1),
            new AudioCodecSpec("telephone-event", EVENTS_48K_PT, 48000, 1),
            new AudioCodecSpec("telephone-event", EVENTS_8K_PT, 8000, 1));

    /** Opus's bit rate: 24 kbit/s, wide-band speech with room for in-band FEC. */
    static final int OPUS_BITRATE = 24000;

    private Codecs() {
    }

    /**
     * @param spec          the agreed codec
     * @param preferredRate the source's sample rate, used by Opus when it can
     * @throws IllegalArgumentException for a codec this engine does not have
     */
    public static AudioEncoder encoder(AudioCodecSpec spec, int preferredRate) {
        return switch (kind(spec)) {
            case "opus" -> OpusCodec.encoder(OpusCodec.supports(preferredRate) ? preferredRate : 48000, OPUS_BITRATE);
            case "pcmu" -> new G711Codec(true);
            default -> new G711Codec(false);
        };
    }

    /**
     * Opus always decodes at 48 kHz: Concentus 1.0.2 decodes CELT and hybrid packets (what a peer encoding
     * at 48 kHz sends) to silence at lower rates, so the session resamples instead.
     *
     * @param spec          the agreed codec
     * @param preferredRate the sink's sample rate (unused for now)
     * @throws IllegalArgumentException for a codec this engine does not have
     */
    public static AudioDecoder decoder(AudioCodecSpec spec, int preferredRate) {
        return switch (kind(spec)) {
            case "opus" -> OpusCodec.decoder(48000);
            case "pcmu" -> new G711Codec(true);
            default -> new G711Codec(false);
        };
    }

    /**
     * @throws IllegalArgumentException naming the codec and the ones the engine has, if it has not this one
     */
    public static void requireSupported(AudioCodecSpec spec) {
        kind(spec);
    }

    /** @return whether the engine can send and receive this codec */
    public static boolean isSupported(AudioCodecSpec spec) {
        try {
            kind(spec);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String kind(AudioCodecSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("no codec given");
        }
        String name = spec.name() == null ? "" : spec.name().toLowerCase(Locale.ROOT);
        boolean ok = switch (name) {
            case "opus" -> spec.clockRate() == 48000;
            case "pcmu", "pcma" -> spec.clockRate() == 8000 && spec.channels() <= 1;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("the media engine has no codec " + spec.name() + "/" + spec.clockRate()
                    + " (it has opus/48000, PCMU/8000 and PCMA/8000)");
        }
        return name;
    }
}
