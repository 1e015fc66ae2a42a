package org.m800.sdk.call.internal.media.srtp;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import org.m800.sdk.call.internal.media.rtp.RtpHeader;
import org.junit.Test;

/** SRTP against RFC 3711's test vectors (Appendix B), and its refusals: a tampered packet, a replay. */
public class SrtpContextTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    public void aesCmKeystreamIsRfc3711AppendixB2() {
        byte[] sessionKey = HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] sessionSalt = HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        byte[] iv = AesCm.iv(sessionSalt, 0, 0);
        assertArrayEquals(HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), iv);

        byte[] keystream = new byte[65282 * 16];
        new AesCm(sessionKey).apply(iv, keystream, 0, keystream.length);
        assertArrayEquals(HEX.parseHex("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0"),
                Arrays.copyOf(keystream, 48));
        assertArrayEquals(HEX.parseHex("EC8CDF7398607CB0F2D21675EA9EA1E4"
                + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44"),
                Arrays.copyOfRange(keystream, 0xFEFF * 16, 0xFF02 * 16));
    }

    @Test
    public void keyDerivationIsRfc3711AppendixB3() {
        byte[] masterKey = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");
        assertArrayEquals(HEX.parseHex("C61E7A93744F39EE10734AFE3FF7A087"), AesCm.derive(masterKey, masterSalt, 0, 16));
        assertArrayEquals(HEX.parseHex("30CBBC08863D8C85D49DB34A9AE1"), AesCm.derive(masterKey, masterSalt, 2, 14));
        assertArrayEquals(HEX.parseHex("CEBE321F6FF7716B6FD4AB49AF256A15" + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF7227098" + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2"),
                AesCm.derive(masterKey, masterSalt, 1, 94));
    }

    @Test
    public void theFirstPacketOfAStreamIsTheRfcKeystreamXorItsPayload() throws Exception {
        // B.3's master key derives known session keys: the payload must be XORed with AES-CM under them.
        byte[] master = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139" + "0EC675AD498AFEEBB6960B3AABE6");
        SrtpContext sender = new SrtpContext(master);
        byte[] packet = rtp(0x1234, 7, 0xCAFEBABEL, new byte[32]);
        int len = sender.protectRtp(packet, 12 + 32);
        byte[] expected = new byte[32];
        new AesCm(HEX.parseHex("C61E7A93744F39EE10734AFE3FF7A087"))
                .apply(AesCm.iv(HEX.parseHex("30CBBC08863D8C85D49DB34A9AE1"), 0xCAFEBABEL, 0x1234), expected, 0, 32);
        assertArrayEquals(expected, Arrays.copyOfRange(packet, 12, 44));
        assertEquals(12 + 32 + 10, len);
    }

    @Test
    public void roundTripAcrossASequenceNumberWrap() throws Exception {
        byte[] master = SrtpContext.newMaster();
        SrtpContext sender = new SrtpContext(master);
        SrtpContext receiver = new SrtpContext(master);
        for (int i = 0; i < 300; i++) {
            int seq = (0xFFFF - 150 + i) & 0xFFFF;
            byte[] payload = ("payload " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] packet = rtp(seq, i * 160L, 42, payload);
            int len = sender.protectRtp(packet, 12 + payload.length);
            assertNotEquals(new String(payload, java.nio.charset.StandardCharsets.US_ASCII),
                    new String(packet, 12, payload.length, java.nio.charset.StandardCharsets.US_ASCII));
            int plain = receiver.unprotectRtp(packet, len);
            assertEquals(12 + payload.length, plain);
            assertArrayEquals("packet " + i, payload, Arrays.copyOfRange(packet, 12, plain));
        }
    }

    @Test
    public void aTamperedPacketFailsAuthenticationAndAReplayIsRefused() throws Exception {
        byte[] master = SrtpContext.newMaster();
        SrtpContext sender = new SrtpContext(master);
        SrtpContext receiver = new SrtpContext(master);
        byte[] first = rtp(100, 0, 42, new byte[20]);
        int firstLen = sender.protectRtp(first, 32);
        byte[] copy = Arrays.copyOf(first, firstLen);
        assertEquals(32, receiver.unprotectRtp(first, firstLen));

        SrtpException replay = assertThrows(SrtpException.class, () -> receiver.unprotectRtp(copy, firstLen));
        assertTrue(replay.getMessage(), replay.getMessage().contains("replayed"));

        byte[] second = rtp(101, 160, 42, new byte[20]);
        int secondLen = sender.protectRtp(second, 32);
        byte[] tampered = Arrays.copyOf(second, secondLen);
        tampered[15] ^= 1;
        SrtpException forged = assertThrows(SrtpException.class, () -> receiver.unprotectRtp(tampered, secondLen));
        assertTrue(forged.getMessage(), forged.getMessage().contains("authentication"));
        // the genuine packet still goes through: the forgery did not move the replay window
        assertEquals(32, receiver.unprotectRtp(second, secondLen));

        SrtpException wrongKey = assertThrows(SrtpException.class, () -> {
            byte[] other = rtp(102, 320, 42, new byte[20]);
            int len = new SrtpContext(SrtpContext.newMaster()).protectRtp(other, 32);
            receiver.unprotectRtp(other, len);
        });
        assertTrue(wrongKey.getMessage().contains("authentication"));
    }

    @Test
    public void srtcpRoundTripTamperAndReplay() throws Exception {
        byte[] master = SrtpContext.newMaster();
        SrtpContext sender = new SrtpContext(master);
        SrtpContext receiver = new SrtpContext(master);
        byte[] rr = new byte[64];
        rr[0] = (byte) 0x80;
        rr[1] = (byte) 201;
        RtpHeader.putU16(rr, 2, 1);
        RtpHeader.putU32(rr, 4, 0x11223344L);
        byte[] plain = Arrays.copyOf(rr, 8);
        int len = sender.protectRtcp(rr, 8);
        assertEquals(8 + 14, len);
        byte[] copy = Arrays.copyOf(rr, len);
        assertEquals(8, receiver.unprotectRtcp(rr, len));
        assertArrayEquals(plain, Arrays.copyOf(rr, 8));
        assertThrows(SrtpException.class, () -> receiver.unprotectRtcp(copy, len));

        byte[] sr = Arrays.copyOf(plain, 64);
        int len2 = sender.protectRtcp(sr, 8);
        sr[len2 - 11] ^= 0x40;
        assertThrows(SrtpException.class, () -> receiver.unprotectRtcp(sr, len2));
    }

    @Test
    public void aMasterOfTheWrongLengthIsRefusedWithItsLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SrtpContext(new byte[16]));
        assertTrue(e.getMessage(), e.getMessage().contains("16"));
    }

    @Test
    public void theReplayWindowAcceptsReorderingWithinItAndRefusesOlder() {
        ReplayWindow window = new ReplayWindow();
        window.accept(1000);
        assertTrue(window.isFresh(999));
        window.accept(999);
        assertTrue(!window.isFresh(999));
        assertTrue(window.isFresh(1000 - 127));
        assertTrue(!window.isFresh(1000 - 128));
        window.accept(1100);
        assertTrue(!window.isFresh(1000));
        assertTrue(window.isFresh(1001));
        window.accept(5000);
        assertTrue(!window.isFresh(1100));
    }

    static byte[] rtp(int seq, long ts, long ssrc, byte[] payload) {
        byte[] packet = new byte[12 + payload.length + SrtpContext.RTP_OVERHEAD];
        RtpHeader.write(packet, false, 0, seq, ts, ssrc);
        System.arraycopy(payload, 0, packet, 12, payload.length);
        return packet;
    }
}
