package org.m800.sdk.contacts.internal;

import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.core.M800Exception;

/** The checks of the contacts' arguments: INVALID_ARGUMENT saying what is wrong, before anything is sent. */
final class ContactInput {
    private ContactInput() {
    }

    static String userId(String userId, String what) {
        if (userId == null || userId.isBlank()) {
            throw M800Exception.invalidArgument(what + ": userId is required");
        }
        if (userId.length() > 64) {
            throw M800Exception.invalidArgument(what + ": userId is longer than 64 characters");
        }
        return userId;
    }

    static String alias(String alias) {
        if (alias == null || alias.isBlank()) {
            return null;
        }
        String a = alias.strip();
        if (a.codePointCount(0, a.length()) > ContactManager.MAX_ALIAS_CHARS) {
            throw M800Exception.invalidArgument("alias is longer than " + ContactManager.MAX_ALIAS_CHARS + " characters");
        }
        return a;
    }
}
