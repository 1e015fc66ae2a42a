package org.m800.server.internal.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireException;

/**
 * How a remembered answer is stored (issue 17 item 3): sealed to the request that produced it. The
 * request's facts (scope, request id, type, caller, body) give, under the server's secret, a
 * fingerprint that a repeat must match and an AES-256-GCM key that only the same request can
 * re-derive. The database therefore holds no token or proof in clear, and a database alone cannot be
 * used to check guesses of a password that was in a body (the secret is not in the database).
 * Thread-safe.
 */
final class AnswerSeal {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;

    private final byte[] secret;

    AnswerSeal(byte[] secret) {
        this.secret = secret.clone();
    }

    /** The facts of one request that a repeat must share. */
    record Facts(String scope, String requestId, String type, String caller, String body) {
        byte[] bytes(String purpose) {
            // each part is length-prefixed, so that no two different fact lists give the same bytes
            StringBuilder b = new StringBuilder(purpose);
            for (String part : new String[] {scope, requestId, type, caller == null ? "" : caller, body}) {
                b.append('\n').append(part.length()).append(':').append(part);
            }
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** @return the stored form of the answer */
    String seal(Facts facts, String answerJson) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hmac(facts.bytes("key")), "AES"),
                    new GCMParameterSpec(128, iv));
            byte[] sealed = aes.doFinal(answerJson.getBytes(StandardCharsets.UTF_8));
            ObjectNode o = Json.object().put("f", HexFormat.of().formatHex(hmac(facts.bytes("fingerprint"))))
                    .put("iv", Base64.getEncoder().encodeToString(iv))
                    .put("c", Base64.getEncoder().encodeToString(sealed));
            return Json.write(o);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * @return the answer, if the stored form was sealed to these facts
     * @throws WireException CONFLICT/REQUEST_ID_REUSED if it was sealed to another request (another
     *         caller, endpoint or body), or is not in the sealed form (written before this rule)
     */
    String open(Facts facts, String stored) throws WireException {
        JsonNode o = Json.read(stored);
        String f = o.path("f").asText("");
        byte[] expected = hmac(facts.bytes("fingerprint"));
        if (f.length() != 64 || !MessageDigest.isEqual(expected, HexFormat.of().parseHex(f))) {
            throw reused();
        }
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(hmac(facts.bytes("key")), "AES"),
                    new GCMParameterSpec(128, Base64.getDecoder().decode(o.path("iv").asText())));
            return new String(aes.doFinal(Base64.getDecoder().decode(o.path("c").asText())), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw reused();
        }
    }

    static WireException reused() {
        return WireException.of(org.m800.server.internal.wire.WireCode.CONFLICT, "REQUEST_ID_REUSED",
                "request id was used for another request (another caller, endpoint or body)");
    }

    private byte[] hmac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** @return {@code n} random bytes, for a new secret */
    static byte[] newSecret(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
