package org.m800.sdk.call.internal.media.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 4.1.1): the keystream of block {@code i} is
 * {@code AES(key, IV + i)}, the IV built from the session salt, the SSRC and the packet index. The JDK's
 * {@code AES/CTR} counts over all 128 bits, SRTP's over the low 16; they agree because the low 16 bits of
 * an SRTP IV are zero and a packet is far shorter than 2^16 blocks. Not thread-safe: one per direction.
 */
final class AesCm {

    private final Cipher cipher;
    private final SecretKeySpec key;

    AesCm(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR", e);
        }
    }

    /** XORs {@code len} bytes of {@code buf} from {@code off} with the keystream that starts at {@code iv}. */
    void apply(byte[] iv, byte[] buf, int off, int len) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            int n = cipher.doFinal(buf, off, len, buf, off);
            if (n != len) {
                throw new IllegalStateException("AES/CTR returned " + n + " bytes for " + len);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    /**
     * The IV of RFC 3711 4.1.1: {@code (salt * 2^16) XOR (ssrc * 2^64) XOR (index * 2^16)}.
     *
     * @param salt  the 14-byte session salt
     * @param ssrc  the packet's SSRC
     * @param index the 48-bit SRTP packet index (or the 31-bit SRTCP index)
     */
    static byte[] iv(byte[] salt, long ssrc, long index) {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        return iv;
    }

    /**
     * The AES-CM key derivation function of RFC 3711 4.3 with a key derivation rate of zero:
     * {@code x = (label * 2^48) XOR master_salt}, the output is the keystream of {@code AES(master_key, x * 2^16)}.
     *
     * @param masterKey  16 bytes
     * @param masterSalt 14 bytes
     * @param label      0..5 (RTP encryption, authentication, salt; RTCP the same)
     * @param length     bytes wanted
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, 14);
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        new AesCm(masterKey).apply(iv, out, 0, length);
        return out;
    }
}
