package org.m800.server.internal.auth;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Hashes verify their password only; no stored hash (an unknown user) never verifies. */
public class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    public void aHashVerifiesItsPasswordOnly() {
        String hash = hasher.hash("correct horse".toCharArray());
        assertTrue(hash.startsWith("pbkdf2-sha256$100000$"));
        assertTrue(hasher.verify("correct horse".toCharArray(), hash));
        assertFalse(hasher.verify("correct horsf".toCharArray(), hash));
        assertFalse(hasher.verify("".toCharArray(), hash));
    }

    @Test
    public void eachHashHasItsOwnSalt() {
        assertNotEquals(hasher.hash("same".toCharArray()), hasher.hash("same".toCharArray()));
    }

    @Test
    public void noStoredHashNeverVerifies() {
        // the dummy compared against when a user does not exist: any password, the empty one included
        assertFalse(hasher.verify("not a password".toCharArray(), null));
        assertFalse(hasher.verify("".toCharArray(), null));
        assertFalse(hasher.verify(new char[0], null));
    }

    @Test
    public void aMalformedStoredHashDoesNotVerify() {
        assertFalse(hasher.verify("x".toCharArray(), "plain-text"));
        assertFalse(hasher.verify("x".toCharArray(), "md5$1$AA$AA"));
    }
}
