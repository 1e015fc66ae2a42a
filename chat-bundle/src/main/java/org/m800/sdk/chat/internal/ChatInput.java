package org.m800.sdk.chat.internal;

import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.core.M800Exception;

/** The checks of {@link ChatManagerImpl}'s arguments: INVALID_ARGUMENT naming what is wrong. */
final class ChatInput {
    private ChatInput() {
    }

    static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw M800Exception.invalidArgument(field + " must not be blank");
        }
    }

    static void checkTitle(String title) {
        if (title == null || title.isBlank() || title.codePointCount(0, title.length()) > ChatManager.MAX_TITLE_CHARS) {
            throw M800Exception.invalidArgument("title must be 1 to " + ChatManager.MAX_TITLE_CHARS
                    + " characters, not blank");
        }
    }
}
