package org.m800.sdk.call.internal.sdp;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** SDP writing and parsing (RFC 4566) and the offer/answer (RFC 3264) of calls' one audio stream. */
public class OfferAnswerTest {
    private static final List<AudioCodecSpec> ENGINE = List.of(new AudioCodecSpec("opus", 111, 48000, 2),
            new AudioCodecSpec("PCMU", 0, 8000, 1), new AudioCodecSpec("PCMA", 8, 8000, 1),
            new AudioCodecSpec("telephone-event", 110, 48000, 1), new AudioCodecSpec("telephone-event", 101, 8000, 1));

    private static OfferAnswer.Local local(int port, byte fill, String... preference) {
        byte[] key = new byte[30];
        Arrays.fill(key, fill);
        return new OfferAnswer.Local("42", new InetSocketAddress("127.0.0.1", port), ENGINE, List.of(preference), key);
    }

    private static SessionDescription roundTrip(SessionDescription d) {
        return SdpParser.parse(SdpWriter.write(d));
    }

    @Test
    public void anOfferSurvivesWritingAndParsing() {
        SessionDescription offer = OfferAnswer.offer(local(5004, (byte) 1), 1, MediaDirection.SENDRECV);
        String text = SdpWriter.write(offer);
        assertTrue(text, text.contains("m=audio 5004 RTP/SAVP 111 0 8 110 101\r\n"));
        assertTrue(text, text.contains("a=rtcp-mux\r\n"));
        assertTrue(text, text.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"));
        SessionDescription parsed = SdpParser.parse(text);
        assertEquals(offer.codecs(), parsed.codecs());
        assertEquals("127.0.0.1", parsed.address());
        assertEquals(5004, parsed.port());
        assertArrayEquals(offer.crypto().key(), parsed.crypto().key());
        assertEquals(MediaDirection.SENDRECV, parsed.direction());
    }

    @Test
    public void theAnswererTakesTheOfferersFirstCodecItAcceptsWithEventsAtItsRate() {
        SessionDescription offer = roundTrip(OfferAnswer.offer(local(5004, (byte) 1), 1, MediaDirection.SENDRECV));
        OfferAnswer.Answer opus = OfferAnswer.answer(offer, local(6004, (byte) 2), 1, MediaDirection.SENDRECV);
        assertEquals("opus", opus.media().codec().name());
        assertEquals(110, opus.media().telephoneEventPayloadType());
        assertEquals(new InetSocketAddress("127.0.0.1", 5004), opus.media().remote());
        assertEquals(1, opus.media().remoteSrtpKey()[0]);

        // A offers both, B accepts only PCMU
        OfferAnswer.Answer pcmu = OfferAnswer.answer(offer, local(6004, (byte) 2, "PCMU"), 1, MediaDirection.SENDRECV);
        assertEquals("PCMU", pcmu.media().codec().name());
        assertEquals(101, pcmu.media().telephoneEventPayloadType());
        NegotiatedMedia atCaller = OfferAnswer.accept(offer, roundTrip(pcmu.sdp()));
        assertEquals("PCMU", atCaller.codec().name());
        assertEquals(0, atCaller.codec().payloadType());
        assertEquals(101, atCaller.telephoneEventPayloadType());
        assertEquals(2, atCaller.remoteSrtpKey()[0]);
        assertEquals(new InetSocketAddress("127.0.0.1", 6004), atCaller.remote());
        assertEquals(MediaDirection.SENDRECV, atCaller.direction());
    }

    @Test
    public void noCommonCodecIsAClearError() {
        SessionDescription offer = roundTrip(OfferAnswer.offer(local(5004, (byte) 1, "opus"), 1, MediaDirection.SENDRECV));
        OfferAnswer.IncompatibleException e = assertThrows(OfferAnswer.IncompatibleException.class,
                () -> OfferAnswer.answer(offer, local(6004, (byte) 2, "PCMA"), 1, MediaDirection.SENDRECV));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("no common codec"));
        M800Exception unknown = assertThrows(M800Exception.class,
                () -> OfferAnswer.offer(local(5004, (byte) 1, "G729"), 1, MediaDirection.SENDRECV));
        assertEquals(ErrorCode.INVALID_ARGUMENT, unknown.code());
    }

    @Test
    public void anOfferWithoutAKeyIsRefused() {
        String plain = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 5004 RTP/AVP 0\r\n";
        SessionDescription offer = SdpParser.parse(plain);
        assertEquals("PCMU", offer.codecs().get(0).name());
        OfferAnswer.IncompatibleException e = assertThrows(OfferAnswer.IncompatibleException.class,
                () -> OfferAnswer.answer(offer, local(6004, (byte) 2), 1, MediaDirection.SENDRECV));
        assertTrue(e.getMessage(), e.getMessage().contains("encrypted"));
    }

    @Test
    public void holdIsSendonlyAnsweredRecvonlyAndResumeSendrecv() {
        OfferAnswer.Local a = local(5004, (byte) 1);
        SessionDescription hold = roundTrip(OfferAnswer.offer(a, 2, MediaDirection.SENDONLY));
        OfferAnswer.Answer held = OfferAnswer.answer(hold, local(6004, (byte) 2), 2, MediaDirection.SENDRECV);
        assertEquals(MediaDirection.RECVONLY, held.media().direction());
        assertEquals(MediaDirection.SENDONLY, OfferAnswer.accept(hold, roundTrip(held.sdp())).direction());
        // both hold: inactive
        OfferAnswer.Answer both = OfferAnswer.answer(hold, local(6004, (byte) 2), 3, MediaDirection.SENDONLY);
        assertEquals(MediaDirection.INACTIVE, both.media().direction());
        SessionDescription resume = roundTrip(OfferAnswer.offer(a, 4, MediaDirection.SENDRECV));
        assertEquals(MediaDirection.SENDRECV,
                OfferAnswer.answer(resume, local(6004, (byte) 2), 4, MediaDirection.SENDRECV).media().direction());
    }

    @Test
    public void malformedSdpIsAProtocolErrorThatSaysWhatIsWrong() {
        String[][] cases = {
            {"", "empty"},
            {"hello", "not a <letter>=<value> line"},
            {"o=- 1 1 IN IP4 1.2.3.4\r\n", "starts with v=0"},
            {"v=0\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 1 RTP/SAVP 0\r\n", "o= line is missing"},
            {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\n", "no m=audio line"},
            {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 1 RTP/SAVP 0\r\n", "no c= line"},
            {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio x RTP/SAVP 0\r\n", "'x' is not a number"},
            {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 99999 RTP/SAVP 0\r\n", "port out of range"},
            {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 1 RTP/SAVP 0\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%%%\r\n", "not base64"},
        };
        for (String[] c : cases) {
            M800Exception e = assertThrows(c[0], M800Exception.class, () -> SdpParser.parse(c[0]));
            assertEquals(ErrorCode.PROTOCOL, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(c[1]));
        }
    }

    /** An offer of plain RTP, as a peer without SRTP makes it. */
    private static SessionDescription plainOffer() {
        return SdpParser.parse("v=0\r\no=- 7 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 7078 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=ptime:20\r\n");
    }

    @Test
    public void aPlainRtpOfferIsRefusedUnlessTheApplicationAllowsIt() {
        M800Exception refused = assertThrows(OfferAnswer.IncompatibleException.class,
                () -> OfferAnswer.answer(plainOffer(), local(6004, (byte) 2), 1, MediaDirection.SENDRECV));
        assertTrue(refused.getMessage(), refused.getMessage().contains("plain RTP"));
        assertTrue(refused.getMessage(), refused.getMessage().contains("withPlainRtpAllowed"));

        OfferAnswer.Local allowing = new OfferAnswer.Local("42", new InetSocketAddress("127.0.0.1", 6004), ENGINE,
                List.of(), new byte[30], true);
        OfferAnswer.Answer answer = OfferAnswer.answer(plainOffer(), allowing, 1, MediaDirection.SENDRECV);
        assertEquals("PCMU", answer.media().codec().name());
        assertEquals(101, answer.media().telephoneEventPayloadType());
        assertEquals(null, answer.media().remoteSrtpKey());
        assertTrue(!answer.media().encrypted());
        String text = SdpWriter.write(answer.sdp());
        assertTrue(text, text.contains("m=audio 6004 RTP/AVP 0 101\r\n"));
        assertTrue(text, !text.contains("a=crypto"));
    }

    @Test
    public void anSrtpProfileWithoutAKeyIsRefusedEvenWhenPlainRtpIsAllowed() {
        SessionDescription keyless = SdpParser.parse("v=0\r\no=- 7 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7078 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        OfferAnswer.Local allowing = new OfferAnswer.Local("42", new InetSocketAddress("127.0.0.1", 6004), ENGINE,
                List.of(), new byte[30], true);
        assertThrows(OfferAnswer.IncompatibleException.class,
                () -> OfferAnswer.answer(keyless, allowing, 1, MediaDirection.SENDRECV));
    }

    private static SessionDescription offerWithPtime(String payloadTypes, String rtpmaps, int ptime) {
        byte[] key = new byte[30];
        return SdpParser.parse("v=0\r\no=- 7 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 7078 RTP/SAVP " + payloadTypes + "\r\n" + rtpmaps + "a=ptime:" + ptime + "\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + java.util.Base64.getEncoder().encodeToString(key)
                + "\r\n");
    }

    @Test
    public void g711IsSentWithThePacketTimeThePeerAsksForAndTheAnswerAsksForTwenty() {
        for (int ptime : new int[] {10, 20, 30, 40, 60}) {
            SessionDescription offer = offerWithPtime("0", "a=rtpmap:0 PCMU/8000\r\n", ptime);
            assertEquals(ptime, offer.ptime());
            OfferAnswer.Answer answer = OfferAnswer.answer(offer, local(6004, (byte) 2), 1, MediaDirection.SENDRECV);
            assertEquals(ptime, answer.media().sendPtimeMs());
            assertTrue(SdpWriter.write(answer.sdp()).contains("a=ptime:20\r\n"));
        }
        // a packet time G.711 here cannot send (RFC 3264: the answer says what this side receives; it sends 20)
        OfferAnswer.Answer odd = OfferAnswer.answer(offerWithPtime("8", "a=rtpmap:8 PCMA/8000\r\n", 25),
                local(6004, (byte) 2), 1, MediaDirection.SENDRECV);
        assertEquals(20, odd.media().sendPtimeMs());
        // Opus: always 20 ms
        OfferAnswer.Answer opus = OfferAnswer.answer(offerWithPtime("111", "a=rtpmap:111 opus/48000/2\r\n", 40),
                local(6004, (byte) 2), 1, MediaDirection.SENDRECV);
        assertEquals(20, opus.media().sendPtimeMs());
        // the offerer sends with the answer's packet time too
        SessionDescription myOffer = roundTrip(OfferAnswer.offer(local(5004, (byte) 1, "PCMU"), 1, MediaDirection.SENDRECV));
        assertEquals(20, myOffer.ptime());
        SessionDescription answer30 = new SessionDescription("9", 1, "127.0.0.1", 6004, OfferAnswer.PROFILE,
                List.of(new AudioCodecSpec("PCMU", 0, 8000, 1)), java.util.Map.of(), true,
                new SessionDescription.Crypto(1, SessionDescription.SUITE, new byte[30]), MediaDirection.SENDRECV, 30);
        assertEquals(30, OfferAnswer.accept(myOffer, roundTrip(answer30)).sendPtimeMs());
    }

    @Test
    public void aPtimeOutOfRangeIsABadSdp() {
        M800Exception e = assertThrows(M800Exception.class,
                () -> offerWithPtime("0", "a=rtpmap:0 PCMU/8000\r\n", 0));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("ptime"));
    }
}
