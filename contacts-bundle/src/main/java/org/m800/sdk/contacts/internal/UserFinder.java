package org.m800.sdk.contacts.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.UserSummary;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.WireFields;

/**
 * Finding people ({@code user.find}, {@code user.search}, {@code user.discoverable} of
 * docs/protocol.md section 19.8). Checks the arguments before anything is sent; the calls throw for
 * bad input (the manager's {@code attempt} turns that into a failed future).
 */
final class UserFinder {
    /** As the server's usernames. */
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    private static final int MIN_PREFIX = 2;

    private final Requests requests;

    UserFinder(Requests requests) {
        this.requests = requests;
    }

    CompletableFuture<Optional<UserSummary>> find(String username) {
        if (username == null || username.isBlank()) {
            throw M800Exception.invalidArgument("username is required");
        }
        String name = username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw M800Exception.invalidArgument("username '" + username + "' is not a username (3 to 64 of a-z 0-9 . _ -,"
                    + " starting with a letter or digit)");
        }
        return requests.send("user.find", Map.of("username", name))
                .thenApply(d -> Optional.of(user(new WireFields(d, "user.find").object("user"))))
                .exceptionally(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    if (cause instanceof M800Exception m && m.code() == ErrorCode.NOT_FOUND) {
                        return Optional.empty();
                    }
                    throw e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
                });
    }

    CompletableFuture<List<UserSummary>> search(String displayNamePrefix, int limit) {
        if (displayNamePrefix == null || displayNamePrefix.strip().length() < MIN_PREFIX) {
            throw M800Exception.invalidArgument("displayNamePrefix must have at least " + MIN_PREFIX
                    + " characters besides spaces");
        }
        if (limit < 1 || limit > ContactManager.MAX_SEARCH_RESULTS) {
            throw M800Exception.invalidArgument("limit must be 1 to " + ContactManager.MAX_SEARCH_RESULTS + ", was "
                    + limit);
        }
        return requests.send("user.search", Map.of("displayNamePrefix", displayNamePrefix.strip(), "limit", limit))
                .thenApply(d -> {
                    List<UserSummary> users = new ArrayList<>();
                    for (Object o : new WireFields(d, "user.search").list("users")) {
                        if (!(o instanceof Map<?, ?> m)) {
                            throw WireFields.protocol("user.search: users holds a " + o);
                        }
                        @SuppressWarnings("unchecked")
                        Map<String, Object> user = (Map<String, Object>) m;
                        users.add(user(user));
                    }
                    return List.copyOf(users);
                });
    }

    CompletableFuture<Boolean> discoverable(boolean byDisplayName) {
        return requests.send("user.discoverable", Map.of("byDisplayName", byDisplayName))
                .thenApply(d -> new WireFields(d, "user.discoverable").flag("byDisplayName"));
    }

    private static UserSummary user(Map<String, Object> m) {
        WireFields f = new WireFields(m, "user");
        return new UserSummary(f.text("userId"), f.text("username"), f.text("displayName", ""));
    }
}
