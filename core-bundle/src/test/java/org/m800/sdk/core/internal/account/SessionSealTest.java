package org.m800.sdk.core.internal.account;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

import javax.crypto.KeyGenerator;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** {@link SessionSeal}: what a wrong key, a missing key and a damaged file give. */
public class SessionSealTest {

    private static final String PASSWORD = "pw-of-the-store";
    private static final byte[] SESSION = "{\"accessToken\":\"secret-token\"}".getBytes(StandardCharsets.UTF_8);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private ClientConfig configWith(KeyStore.Entry entry) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        if (entry != null) {
            store.setEntry(ClientConfig.DEFAULT_SESSION_KEY_ALIAS, entry,
                    new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
        }
        Path file = temp.newFile().toPath();
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return ClientConfig.builder().clientId("seal").imServers(List.of(URI.create("ws://127.0.0.1:1/v1/im")))
                .sessionKeyStore(file).sessionKeyStorePassword(PASSWORD).build();
    }

    private ClientConfig aesConfig() throws Exception {
        KeyGenerator g = KeyGenerator.getInstance("AES");
        g.init(256);
        return configWith(new KeyStore.SecretKeyEntry(g.generateKey()));
    }

    @Test
    public void sealsAndOpens() throws Exception {
        SessionSeal seal = SessionSeal.of(aesConfig());
        byte[] sealed = seal.seal("account.session", SESSION);
        assertTrue(SessionSeal.isSealed(sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("secret-token"));
        assertArrayEquals(SESSION, seal.open("account.session", sealed));
    }

    @Test
    public void anotherKeyIsAClearError() throws Exception {
        byte[] sealed = SessionSeal.of(aesConfig()).seal("account.session", SESSION);
        M800Exception e = assertThrows(M800Exception.class, () -> SessionSeal.of(aesConfig()).open("account.session",
                sealed));
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("cannot be decrypted"));
        assertTrue(e.getMessage(), e.getMessage().contains("log in again"));
    }

    @Test
    public void aDamagedOrMovedSealDoesNotOpen() throws Exception {
        SessionSeal seal = SessionSeal.of(aesConfig());
        byte[] sealed = seal.seal("account.session", SESSION);
        assertThrows(M800Exception.class, () -> seal.open("other.key", sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(M800Exception.class, () -> seal.open("account.session", sealed));
        byte[] cut = java.util.Arrays.copyOf(sealed, 10);
        assertThrows(M800Exception.class, () -> seal.open("account.session", cut));
    }

    @Test
    public void aSealedSessionWithoutAKeyIsAClearError() throws Exception {
        byte[] sealed = SessionSeal.of(aesConfig()).seal("account.session", SESSION);
        ClientConfig none = ClientConfig.builder().clientId("none").imServers(List.of(URI.create("ws://127.0.0.1:1/v1/im")))
                .build();
        M800Exception e = assertThrows(M800Exception.class, () -> SessionSeal.of(none).open("account.session", sealed));
        assertTrue(e.getMessage(), e.getMessage().contains("no sessionKeyStore is configured"));
        assertArrayEquals("without a key, plain bytes stay plain", SESSION, SessionSeal.of(none).seal("k", SESSION));
    }

    @Test
    public void aWrongPasswordOrAMissingOrNonAesKeyNamesTheSetting() throws Exception {
        ClientConfig good = aesConfig();
        ClientConfig wrongPassword = good.toBuilder().sessionKeyStorePassword("not-it").build();
        M800Exception e1 = assertThrows(M800Exception.class, () -> SessionSeal.of(wrongPassword));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e1.code());
        assertTrue(e1.getMessage(), e1.getMessage().contains("sessionKeyStorePassword"));

        ClientConfig otherAlias = good.toBuilder().sessionKeyAlias("nothing-here").build();
        M800Exception e2 = assertThrows(M800Exception.class, () -> SessionSeal.of(otherAlias));
        assertTrue(e2.getMessage(), e2.getMessage().contains("'nothing-here'") && e2.getMessage().contains("missing"));

        // a key pair needs a certificate in a key store: a non-AES secret key stands for "the wrong kind of key"
        KeyGenerator hmac = KeyGenerator.getInstance("HmacSHA256");
        ClientConfig notAes = configWith(new KeyStore.SecretKeyEntry(hmac.generateKey()));
        M800Exception e3 = assertThrows(M800Exception.class, () -> SessionSeal.of(notAes));
        assertTrue(e3.getMessage(), e3.getMessage().contains("not an AES secret key"));
    }
}
