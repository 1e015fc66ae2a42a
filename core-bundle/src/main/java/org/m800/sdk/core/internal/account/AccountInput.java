package org.m800.sdk.core.internal.account;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.m800.sdk.core.M800Exception;

/**
 * The account operations' input: checked at the API boundary (an {@code INVALID_ARGUMENT} that names
 * the bad argument, before anything is sent) and written as the request body of docs/protocol.md.
 * The limits are the server's, so a request that passes here is not refused for its shape.
 */
final class AccountInput {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

    private AccountInput() {
    }

    /** @return the body of {@code /v1/accounts/signup} */
    static Map<String, Object> signUp(String username, String password, String displayName, String verificationProof) {
        String user = username(username);
        int n = password == null ? 0 : password.codePointCount(0, password.length());
        if (password == null) {
            throw M800Exception.invalidArgument("password is required");
        }
        if (n < 8 || n > 128) {
            throw M800Exception.invalidArgument("password must be 8 to 128 characters, it has " + n);
        }
        if (displayName != null && displayName.codePointCount(0, displayName.length()) > 100) {
            throw M800Exception.invalidArgument("displayName is longer than 100 characters");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", user);
        body.put("password", password);
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        if (verificationProof != null) {
            if (verificationProof.isBlank()) {
                throw M800Exception.invalidArgument("verificationProof must not be blank (pass null for none)");
            }
            body.put("verificationProof", verificationProof);
        }
        return body;
    }

    /** @return the body of {@code /v1/accounts/login} */
    static Map<String, Object> logIn(String username, String password) {
        String user = username(username);
        if (password == null || password.isEmpty()) {
            throw M800Exception.invalidArgument("password is required");
        }
        return Map.of("username", user, "password", password);
    }

    /** @return the data of {@code profile.update}: what is given of the two */
    static Map<String, Object> profileUpdate(String displayName, String statusMessage) {
        if (displayName == null && statusMessage == null) {
            throw M800Exception.invalidArgument("give a displayName, a statusMessage or both");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (displayName != null) {
            int n = displayName.codePointCount(0, displayName.length());
            if (displayName.isBlank() || n > 100) {
                throw M800Exception.invalidArgument("displayName must be 1 to 100 characters and not blank");
            }
            data.put("displayName", displayName);
        }
        if (statusMessage != null) {
            if (statusMessage.codePointCount(0, statusMessage.length()) > 200) {
                throw M800Exception.invalidArgument("statusMessage is longer than 200 characters");
            }
            data.put("statusMessage", statusMessage);
        }
        return data;
    }

    /** @return the user name, stripped and lower-cased */
    static String username(String username) {
        if (username == null || username.isBlank()) {
            throw M800Exception.invalidArgument("username is required");
        }
        String lowered = username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(lowered).matches()) {
            throw M800Exception.invalidArgument("username '" + username
                    + "' must be 3 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
        }
        return lowered;
    }
}
