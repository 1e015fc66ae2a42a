package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.core.ServerFixture.awaitState;
import static org.m800.sdk.core.ServerFixture.get;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.crypto.KeyGenerator;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/** The login session at rest: in clear by default, sealed with AES-GCM under a configured key (issue 17 item 14). */
public class SessionAtRestTest {

    private static final String PASSWORD = "key-store-password";

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ServerFixture fx = new ServerFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    /** @return a new PKCS12 key store holding a new AES-256 key under the default alias */
    private Path newKeyStore() throws Exception {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setEntry(ClientConfig.DEFAULT_SESSION_KEY_ALIAS, new KeyStore.SecretKeyEntry(generator.generateKey()),
                new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
        Path file = temp.newFolder().toPath().resolve("session.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** @return whether any file under the folder holds the text */
    private static boolean onDisk(Path folder, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        for (Path f : files) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                return true;
            }
        }
        return false;
    }

    /** Signs a new user up in a client of that configuration, closes it, and returns the last access token. */
    private String signUpAndClose(ClientConfig config, String username) throws Exception {
        Client c = fx.open(config);
        AccountManager account = c.require(AccountManager.class);
        get(account.signUp(username, "password-of-" + username, null));
        awaitState(c, ConnectionState.CONNECTED);
        String token = get(account.accessToken(false));
        c.close();
        return token;
    }

    @Test
    public void withoutAKeyTheTokenIsStoredInClearAsDocumented() throws Exception {
        ClientConfig config = fx.config("clear").build();
        String token = signUpAndClose(config, "clara");
        assertTrue("the default stores the session unencrypted (owner-only file)",
                onDisk(config.dataDirectory(), token));
    }

    @Test
    public void withASessionKeyNoTokenIsInClearOnDiskAndTheSessionResumes() throws Exception {
        ClientConfig config = fx.config("sealed").sessionKeyStore(newKeyStore()).sessionKeyStorePassword(PASSWORD)
                .build();
        String token = signUpAndClose(config, "selma");

        assertFalse("the access token is not on disk in clear", onDisk(config.dataDirectory(), token));
        assertFalse("no token field is on disk in clear", onDisk(config.dataDirectory(), "Token"));

        Client reopened = fx.open(config);
        AccountManager account = reopened.require(AccountManager.class);
        assertTrue(account.isLoggedIn());
        awaitState(reopened, ConnectionState.CONNECTED);
        assertEquals("selma", get(account.fetchProfile()).username());
    }

    @Test
    public void aSessionStoredBeforeTheKeyWasConfiguredIsSealedWhenRead() throws Exception {
        ClientConfig clear = fx.config("migrated").build();
        String token = signUpAndClose(clear, "mira");
        assertTrue(onDisk(clear.dataDirectory(), token));

        ClientConfig sealed = clear.toBuilder().sessionKeyStore(newKeyStore()).sessionKeyStorePassword(PASSWORD).build();
        Client c = fx.open(sealed);
        assertTrue(c.require(AccountManager.class).isLoggedIn());
        awaitState(c, ConnectionState.CONNECTED);
        c.close();
        assertFalse(onDisk(sealed.dataDirectory(), token));
    }

    @Test
    public void aWrongKeyStartsLoggedOutAndALogInWorks() throws Exception {
        ClientConfig config = fx.config("rekeyed").sessionKeyStore(newKeyStore()).sessionKeyStorePassword(PASSWORD)
                .build();
        signUpAndClose(config, "rena");

        // the key store was replaced by one with another key: no crash, logged out, a new log-in works
        ClientConfig otherKey = config.toBuilder().sessionKeyStore(newKeyStore()).build();
        Client c = fx.open(otherKey);
        AccountManager account = c.require(AccountManager.class);
        assertFalse(account.isLoggedIn());
        get(account.logIn("rena", "password-of-rena"));
        awaitState(c, ConnectionState.CONNECTED);
        c.close();

        Client again = fx.open(otherKey);
        assertTrue("stored again under the new key", again.require(AccountManager.class).isLoggedIn());
    }

    @Test
    public void anUnreadableKeyStoreIsRefusedInTheConfiguration() {
        Path missing = temp.getRoot().toPath().resolve("nope.p12");
        ConfigTest.assertMessage(ClientConfig.SESSION_KEY_STORE + " '" + missing + "' is not a readable file",
                () -> fx.config("x").sessionKeyStore(missing).build());
    }

    @Test
    public void theSessionKeyStorePasswordIsNotShown() throws Exception {
        ClientConfig config = fx.config("shown").sessionKeyStore(newKeyStore()).sessionKeyStorePassword(PASSWORD)
                .build();
        assertFalse(config.toString(), config.toString().contains(PASSWORD));
        assertEquals(ClientConfig.DEFAULT_SESSION_KEY_ALIAS, config.sessionKeyAlias());
    }
}
