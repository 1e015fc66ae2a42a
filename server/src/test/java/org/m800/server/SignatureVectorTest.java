package org.m800.server;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.Test;
import org.m800.server.internal.auth.Signatures;

/**
 * The worked examples of docs/protocol.md section 16, computed by the server's code; the expected
 * values were computed independently (Python hashlib/hmac) and are printed in the document.
 */
public class SignatureVectorTest {
    @Test
    public void logInExample() {
        String body = "{\"username\":\"alice\",\"password\":\"correct horse\"}";
        String bodyHash = Signatures.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        assertEquals("e907d16a6db7fc519ab05aba7cc3b50376a64eeb4e14cb2fff2c2ff83b7036e7", bodyHash);
        String canonical = Signatures.canonical("dev-key", "POST", "/v1/accounts/login", 1764028800L,
                "AAAAAAAAAAAAAAAAAAAAAA", bodyHash);
        assertEquals("M800-HMAC-SHA256\ndev-key\nPOST\n/v1/accounts/login\n1764028800\nAAAAAAAAAAAAAAAAAAAAAA\n"
                + bodyHash, canonical);
        assertEquals("f08a33fa2c1ffc8c4626fd5018a213e20435ea0e41633d18093832034a97d5ba",
                Signatures.sign("dev-secret", canonical));
    }

    @Test
    public void helloExample() {
        String tokenHash = Signatures.sha256Hex("A".repeat(43).getBytes(StandardCharsets.UTF_8));
        assertEquals("0f007385b6f9d4b7eeb2748605afe1a984a0a3bfa3f014d09e2a784ce9e5cd1a", tokenHash);
        assertEquals("77e599895537d6a79845ba1967067183c1630ba3caf3e2d5d1d6668dea591f9a", Signatures.sign("dev-secret",
                Signatures.canonical("dev-key", "HELLO", "/v1/im", 1764028800L, "BBBBBBBBBBBBBBBBBBBBBB", tokenHash)));
    }

    @Test
    public void emptyBodyHash() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Signatures.sha256Hex(new byte[0]));
    }
}
