package org.m800.sdk.core.internal.account;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * Protects the stored login session at rest: with a key from the configured session key store
 * ({@link ClientConfig#sessionKeyStore()}), the bytes are sealed with AES-GCM; without one they are
 * stored as they are. Sealed bytes start with a marker, so a session stored before the key was
 * configured is still read (and stored again sealed).
 *
 * <p>Format: {@code "M8S1"}, a 12-byte random nonce, then the AES-GCM cipher text with its 128-bit tag.
 * The storage key is the associated data, so sealed bytes moved under another key do not open.
 * Thread-safe: a {@link Cipher} is made per call.
 */
final class SessionSeal {

    private static final byte[] MARKER = "M8S1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final String describe;
    private final SecureRandom random = new SecureRandom();

    private SessionSeal(SecretKey key, String describe) {
        this.key = key;
        this.describe = describe;
    }

    /**
     * @return the seal the configuration asks for: none without a session key store
     * @throws M800Exception INVALID_ARGUMENT naming the setting when the key store cannot be opened or has
     *         no AES key under the alias
     */
    static SessionSeal of(ClientConfig config) {
        if (config.sessionKeyStore() == null) {
            return new SessionSeal(null, "none");
        }
        String where = "key '" + config.sessionKeyAlias() + "' of " + ClientConfig.SESSION_KEY_STORE + " '"
                + config.sessionKeyStore() + "'";
        char[] password = config.sessionKeyStorePassword() == null ? null
                : config.sessionKeyStorePassword().toCharArray();
        Key key;
        try {
            KeyStore store = KeyStore.getInstance(config.sessionKeyStore().toFile(), password);
            key = store.getKey(config.sessionKeyAlias(), password);
        } catch (IOException | GeneralSecurityException e) {
            throw M800Exception.invalidArgument("cannot read the " + where + " (check it and "
                    + ClientConfig.SESSION_KEY_STORE_PASSWORD + "): " + e.getMessage());
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        if (!(key instanceof SecretKey secret) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
            throw M800Exception.invalidArgument("the " + where + " is " + (key == null ? "missing"
                    : "not an AES secret key (" + key.getAlgorithm() + ")")
                    + "; make one with keytool -genseckey -keyalg AES -keysize 256 -alias " + config.sessionKeyAlias());
        }
        return new SessionSeal(secret, where);
    }

    /** @return whether stored sessions are sealed */
    boolean seals() {
        return key != null;
    }

    /** @return the bytes to store under {@code storageKey} */
    byte[] seal(String storageKey, byte[] plain) {
        if (key == null) {
            return plain;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(MARKER.length + NONCE_BYTES + sealed.length).put(MARKER).put(nonce).put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot encrypt the session with the " + describe + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return whether the stored bytes are sealed */
    static boolean isSealed(byte[] stored) {
        return stored.length > MARKER.length && Arrays.equals(stored, 0, MARKER.length, MARKER, 0, MARKER.length);
    }

    /**
     * @return the plain bytes of what was stored under {@code storageKey}
     * @throws M800Exception ILLEGAL_STATE saying why the stored session cannot be used: sealed while no key
     *         is configured, or sealed with another key (or damaged)
     */
    byte[] open(String storageKey, byte[] stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        if (key == null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the stored session is encrypted but no "
                    + ClientConfig.SESSION_KEY_STORE + " is configured; log in again");
        }
        if (stored.length < MARKER.length + NONCE_BYTES + TAG_BITS / 8) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the stored session is cut short; log in again");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, MARKER.length, NONCE_BYTES));
            c.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
            int offset = MARKER.length + NONCE_BYTES;
            return c.doFinal(stored, offset, stored.length - offset);
        } catch (AEADBadTagException e) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the stored session cannot be decrypted with the "
                    + describe + " (it was encrypted with another key, or the file is damaged); log in again", e);
        } catch (GeneralSecurityException e) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot decrypt the stored session with the " + describe
                    + ": " + e.getMessage() + "; log in again", e);
        }
    }
}
