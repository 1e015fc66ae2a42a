package org.m800.sdk.call.internal.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * The offer/answer model (RFC 3264) for one audio stream: builds offers, answers an offer, and reads the
 * answer to an offer, each giving the {@link NegotiatedMedia} the engine runs with. The answerer picks the
 * first codec of the offer it accepts (the offerer's preference); telephone-events (RFC 4733) are agreed
 * at the clock rate of that codec. Calls are encrypted: offers are always SRTP, and an offer or answer
 * without an {@value SessionDescription#SUITE} key is refused, except a plain RTP offer ({@value #PLAIN}
 * without {@code a=crypto}) when the application allowed it ({@link Local#plainAllowed()}): it is answered
 * with plain RTP. Packet time: each side's {@code a=ptime} says what it wants to receive; this side always
 * asks for 20 ms and sends G.711 with the peer's 10, 20, 30, 40 or 60 ms ({@link #sendPtime}).
 */
public final class OfferAnswer {
    /** The transport profile of an SRTP stream. */
    public static final String PROFILE = "RTP/SAVP";
    /** The transport profile of a plain (unencrypted) RTP stream. */
    public static final String PLAIN = "RTP/AVP";

    private OfferAnswer() {
    }

    /** No codec in common, or no usable key: the call cannot be made with this offer. */
    public static final class IncompatibleException extends M800Exception {
        private static final long serialVersionUID = 1L;

        IncompatibleException(String message) {
            super(ErrorCode.PROTOCOL, message);
        }
    }

    /**
     * What this side offers.
     *
     * @param local      where this side receives
     * @param supported  what the engine supports (audio codecs and telephone-events), preferred first
     * @param preference codec names the application allows, preferred first, or empty for all
     * @param key        this side's SRTP master key and salt
     * @param plainAllowed whether an offer of plain RTP may be answered (the application's explicit choice)
     */
    public record Local(String sessionId, InetSocketAddress local, List<AudioCodecSpec> supported,
            List<String> preference, byte[] key, boolean plainAllowed) {

        /** An encrypted-only side. */
        public Local(String sessionId, InetSocketAddress local, List<AudioCodecSpec> supported,
                List<String> preference, byte[] key) {
            this(sessionId, local, supported, preference, key, false);
        }
    }

    /** An answer and what it agreed. */
    public record Answer(SessionDescription sdp, NegotiatedMedia media) {
    }

    /** @return an offer of the allowed codecs with the given direction and version */
    public static SessionDescription offer(Local local, long version, MediaDirection direction) {
        List<AudioCodecSpec> audio = allowed(local);
        if (audio.isEmpty()) {
            throw M800Exception.invalidArgument("none of the codecs " + local.preference()
                    + " is supported; supported: " + names(local.supported()));
        }
        List<AudioCodecSpec> codecs = new ArrayList<>(audio);
        for (AudioCodecSpec c : local.supported()) {
            if (isEvents(c) && audio.stream().anyMatch(a -> a.clockRate() == c.clockRate())) {
                codecs.add(c);
            }
        }
        return new SessionDescription(local.sessionId(), version, host(local.local()), local.local().getPort(), PROFILE,
                codecs, fmtp(codecs), true, new SessionDescription.Crypto(1, SessionDescription.SUITE, local.key()),
                direction, SessionDescription.PTIME);
    }

    /**
     * Answers an offer.
     *
     * @param wish what this side wants to do (SENDRECV; SENDONLY or INACTIVE while it holds)
     * @throws IncompatibleException if there is no codec in common or the offer has no usable key
     */
    public static Answer answer(SessionDescription offer, Local local, long version, MediaDirection wish) {
        boolean plain = isPlain(offer);
        if (plain && !local.plainAllowed()) {
            throw new IncompatibleException("the offer is plain RTP (" + offer.profile() + " without a=crypto): calls "
                    + "are encrypted (SRTP) unless the application allows plain RTP (CallOptions.withPlainRtpAllowed)");
        }
        byte[] remoteKey = plain ? null : key(offer, "offer");
        List<AudioCodecSpec> allowed = allowed(local);
        AudioCodecSpec chosen = null;
        for (AudioCodecSpec offered : offer.audioCodecs()) {
            if (allowed.stream().anyMatch(a -> same(a, offered))) {
                chosen = offered;
                break;
            }
        }
        if (chosen == null) {
            throw new IncompatibleException("no common codec: the offer has " + names(offer.audioCodecs())
                    + ", this side accepts " + names(allowed));
        }
        List<AudioCodecSpec> codecs = new ArrayList<>();
        codecs.add(chosen);
        AudioCodecSpec events = events(offer.codecs(), chosen.clockRate());
        boolean localEvents = local.supported().stream().anyMatch(c -> isEvents(c) && events != null
                && c.clockRate() == events.clockRate());
        if (events != null && localEvents) {
            codecs.add(events);
        }
        MediaDirection direction = intersect(reverse(offer.direction()), wish);
        SessionDescription sdp = new SessionDescription(local.sessionId(), version, host(local.local()),
                local.local().getPort(), offer.profile(), codecs, fmtp(codecs), offer.rtcpMux(),
                plain ? null : new SessionDescription.Crypto(offer.crypto().tag(), SessionDescription.SUITE, local.key()),
                direction, SessionDescription.PTIME);
        NegotiatedMedia media = new NegotiatedMedia(address(offer), chosen,
                events != null && localEvents ? events.payloadType() : -1, direction, remoteKey,
                sendPtime(chosen, offer.ptime()));
        return new Answer(sdp, media);
    }

    /**
     * Reads the answer to an offer this side made.
     *
     * @throws IncompatibleException if the answer has no codec of the offer or no usable key
     */
    public static NegotiatedMedia accept(SessionDescription offer, SessionDescription answer) {
        byte[] remoteKey = key(answer, "answer");
        AudioCodecSpec chosen = null;
        for (AudioCodecSpec answered : answer.audioCodecs()) {
            if (offer.audioCodecs().stream().anyMatch(o -> o.payloadType() == answered.payloadType() && same(o, answered))) {
                chosen = answered;
                break;
            }
        }
        if (chosen == null) {
            throw new IncompatibleException("the answer has none of the offered codecs: offered "
                    + names(offer.audioCodecs()) + ", answered " + names(answer.audioCodecs()));
        }
        AudioCodecSpec events = events(answer.codecs(), chosen.clockRate());
        MediaDirection direction = intersect(offer.direction(), reverse(answer.direction()));
        return new NegotiatedMedia(address(answer), chosen, events == null ? -1 : events.payloadType(), direction,
                remoteKey, sendPtime(chosen, answer.ptime()));
    }

    /** @return what the other side's direction means for this side (sendonly there is recvonly here) */
    public static MediaDirection reverse(MediaDirection d) {
        return switch (d) {
            case SENDONLY -> MediaDirection.RECVONLY;
            case RECVONLY -> MediaDirection.SENDONLY;
            default -> d;
        };
    }

    static MediaDirection intersect(MediaDirection a, MediaDirection b) {
        boolean sends = a.sends() && b.sends();
        boolean receives = a.receives() && b.receives();
        if (sends && receives) {
            return MediaDirection.SENDRECV;
        }
        if (sends) {
            return MediaDirection.SENDONLY;
        }
        return receives ? MediaDirection.RECVONLY : MediaDirection.INACTIVE;
    }

    private static List<AudioCodecSpec> allowed(Local local) {
        List<AudioCodecSpec> audio = local.supported().stream().filter(c -> !isEvents(c)).toList();
        if (local.preference().isEmpty()) {
            return audio;
        }
        List<AudioCodecSpec> out = new ArrayList<>();
        for (String name : local.preference()) {
            for (AudioCodecSpec c : audio) {
                if (c.name().equalsIgnoreCase(name) && !out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * The packet time to send with: what the peer's {@code a=ptime} asks to receive (RFC 4566 6, RFC 3264 6.1)
     * when the codec can do it (G.711: 10, 20, 30, 40 or 60 ms), else 20 ms (Opus always: the encoder makes 20 ms
     * frames).
     */
    static int sendPtime(AudioCodecSpec codec, int peerPtime) {
        boolean g711 = codec.name().equalsIgnoreCase("PCMU") || codec.name().equalsIgnoreCase("PCMA");
        if (g711 && (peerPtime == 10 || peerPtime == 20 || peerPtime == 30 || peerPtime == 40 || peerPtime == 60)) {
            return peerPtime;
        }
        return SessionDescription.PTIME;
    }

    /** An offer of plain RTP: an RTP/AVP profile (or AVPF) and no key. */
    private static boolean isPlain(SessionDescription d) {
        return d.crypto() == null && d.profile() != null && d.profile().startsWith("RTP/AVP");
    }

    private static byte[] key(SessionDescription d, String what) {
        SessionDescription.Crypto c = d.crypto();
        if (c == null || !SessionDescription.SUITE.equals(c.suite()) || c.key().length != 30) {
            throw new IncompatibleException("the " + what + " has no a=crypto " + SessionDescription.SUITE
                    + " key of 30 bytes: calls are encrypted (SRTP)");
        }
        return c.key();
    }

    private static AudioCodecSpec events(List<AudioCodecSpec> codecs, int clockRate) {
        for (AudioCodecSpec c : codecs) {
            if (isEvents(c) && c.clockRate() == clockRate) {
                return c;
            }
        }
        return null;
    }

    private static boolean isEvents(AudioCodecSpec c) {
        return c.name().equalsIgnoreCase("telephone-event");
    }

    private static boolean same(AudioCodecSpec a, AudioCodecSpec b) {
        return a.name().equalsIgnoreCase(b.name()) && a.clockRate() == b.clockRate();
    }

    private static Map<Integer, String> fmtp(List<AudioCodecSpec> codecs) {
        Map<Integer, String> f = new HashMap<>();
        for (AudioCodecSpec c : codecs) {
            if (c.name().equalsIgnoreCase("opus")) {
                f.put(c.payloadType(), "minptime=20;useinbandfec=1");
            } else if (isEvents(c)) {
                f.put(c.payloadType(), "0-15");
            }
        }
        return f;
    }

    private static InetSocketAddress address(SessionDescription d) {
        // a literal address (what the relay writes) is not looked up; a name is resolved once here
        return new InetSocketAddress(d.address(), d.port());
    }

    private static String host(InetSocketAddress a) {
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }

    private static String names(List<AudioCodecSpec> codecs) {
        List<String> n = new ArrayList<>();
        for (AudioCodecSpec c : codecs) {
            n.add(c.name().toLowerCase(Locale.ROOT).equals("opus") ? "opus/" + c.clockRate() : c.name() + "/" + c.clockRate());
        }
        return n.toString();
    }
}
