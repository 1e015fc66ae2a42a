package org.m800.sdk.call;

import java.util.List;
import java.util.Objects;

import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/**
 * How a call is placed or answered: where its audio comes from and goes to, and which codecs it may use.
 * Immutable.
 *
 * @param source the audio to send, or {@code null} for {@code MediaManager.defaultSource()}
 * @param sink   where the received audio goes, or {@code null} for {@code MediaManager.defaultSink()}
 * @param codecs codec names this call may use, preferred first ({@code opus}, {@code PCMU}, {@code PCMA});
 *               empty for every codec the SDK supports (Opus first)
 * @param plainRtpAllowed when answering: whether an offer of plain, unencrypted RTP ({@code RTP/AVP} without a
 *               key, from a peer that cannot do SRTP) may be accepted; {@code false} by default, and then such an
 *               offer is refused ({@code INCOMPATIBLE_MEDIA}). Offers this SDK makes are always SRTP.
 */
public record CallOptions(AudioSource source, AudioSink sink, List<String> codecs, boolean plainRtpAllowed) {

    /** The defaults: the media manager's source and sink, every codec, encrypted only. */
    public static final CallOptions DEFAULTS = new CallOptions(null, null, List.of());

    public CallOptions {
        codecs = codecs == null ? List.of() : List.copyOf(codecs);
    }

    /** Options that allow encrypted audio only (the form of API 1.0). */
    public CallOptions(AudioSource source, AudioSink sink, List<String> codecs) {
        this(source, sink, codecs, false);
    }

    /** @return options with the given source and sink (either may be {@code null} for the default) */
    public static CallOptions of(AudioSource source, AudioSink sink) {
        return new CallOptions(source, sink, List.of());
    }

    /** @return these options limited to the given codecs, preferred first */
    public CallOptions withCodecs(String... names) {
        return new CallOptions(source, sink, List.of(Objects.requireNonNull(names, "names")), plainRtpAllowed);
    }

    /**
     * @return these options with plain RTP allowed or not (see {@link #plainRtpAllowed()}): allow it only for a
     *         peer known to lack SRTP on a network you trust, since anyone on the path can then listen
     */
    public CallOptions withPlainRtpAllowed(boolean allowed) {
        return new CallOptions(source, sink, codecs, allowed);
    }
}
