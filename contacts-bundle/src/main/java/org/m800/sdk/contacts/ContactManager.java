package org.m800.sdk.contacts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.m800.sdk.core.Subscription;

/**
 * The module {@value #MODULE}: the logged-in user's contacts, block list, presence and address-book
 * matching ({@code docs/protocol.md} section 19).
 *
 * <h2>Contacts</h2>
 * The contact list lives on the server and every change (add, remove, alias) reaches every device of
 * the user as an event, so the lists of all devices stay the same. This device keeps a copy (with the
 * block list) in the client's storage: {@link #contacts()} answers from it, also offline and right
 * after a restart. At log-in and after every reconnect the copy is refreshed: completely the first
 * time, then incrementally (only what changed after the last refresh, including contacts whose display
 * name changed).
 *
 * <h2>Blocking</h2>
 * A blocked user's messages (and later calls) are dropped by the server for this user; the blocked
 * user is not told, their sends succeed as usual. A blocked user sees this user as offline, without
 * status text or last seen.
 *
 * <h2>Presence</h2>
 * A user is {@link PresenceState#ONLINE} while at least one device is connected and not away,
 * {@link PresenceState#AWAY} while every connected device chose away, else
 * {@link PresenceState#OFFLINE} with the time it was last seen (unless the user hides it). A device
 * whose connection dies without a goodbye counts as gone once the server's idle timeout passed
 * without a frame from it (60 s on the reference server, {@code idleTimeoutMs} of the hello); the user
 * is then offline within that time plus one second. Subscriptions are kept by the server for the
 * user (all devices get the events) until unsubscribed. Who sees the user's presence is its
 * {@link #setPresenceVisibility visibility}: everyone (the default), its contacts, or nobody.
 *
 * <h2>Address-book matching</h2>
 * {@link #matchAddressBook} takes numbers in any common format (international with {@code +} or
 * {@code 00}, national with the {@link #defaultRegion() default region}, with spaces, dashes, dots,
 * brackets, {@code tel:} URIs), normalises them to E.164 with libphonenumber, reports the entries
 * that are not valid numbers without sending them, sends each distinct number once (in requests of
 * {@value #MATCH_REQUEST_SIZE}) and answers which belong to users of the same carrier: users who
 * verified that number when they signed up. The server keeps nothing about the numbers it is asked.
 * At most {@value #MAX_MATCH_NUMBERS} entries per call.
 *
 * <h2>Errors and threads</h2>
 * Bad arguments fail the returned future with {@code INVALID_ARGUMENT} naming what is wrong, before
 * anything is sent; {@code NOT_FOUND} for an unknown user or a user who is not a contact;
 * {@code ILLEGAL_STATE} when no user is logged in; {@code RATE_LIMITED} past the server's matching
 * allowance; network failures as {@code NETWORK} / {@code TIMEOUT}. Futures complete, and listeners
 * are called, on the client's event threads. Thread-safe.
 */
public interface ContactManager {

    /** The module name. */
    String MODULE = "contacts";

    /** The largest contact list (the server's limit). */
    int MAX_CONTACTS = 2_000;

    /** The longest alias, in characters (code points). */
    int MAX_ALIAS_CHARS = 100;

    /** The largest block list (the server's limit). */
    int MAX_BLOCKED = 1_000;

    /** The longest status text, in characters. */
    int MAX_STATUS_TEXT_CHARS = 200;

    /** The most users one user may subscribe to (the server's limit). */
    int MAX_PRESENCE_SUBSCRIPTIONS = 2_000;

    /** The most address-book entries one {@link #matchAddressBook} call takes. */
    int MAX_MATCH_NUMBERS = 10_000;

    /** How many numbers go in one {@code contact.match} request (the server's per-request limit). */
    int MATCH_REQUEST_SIZE = 1_000;

    /**
     * The Configuration Admin PID of the feature (key {@value #DEFAULT_REGION_KEY}); outside OSGi the
     * system property {@code m800.contacts.defaultRegion} is read instead.
     */
    String CONFIGURATION_PID = "org.m800.sdk.contacts";

    /** The configuration key of the default region: an ISO 3166 code such as {@code GB}. */
    String DEFAULT_REGION_KEY = "defaultRegion";

    // ------------------------------------------------------------ contacts

    /**
     * Adds a user to the contact list (every device of the user learns it). Adding a contact again
     * changes nothing, or only sets the alias if one is given.
     *
     * @param alias a local name, at most {@value #MAX_ALIAS_CHARS} characters, or {@code null}
     * @return the contact; fails with INVALID_ARGUMENT for oneself or a bad alias, NOT_FOUND for an
     *         unknown user
     */
    CompletableFuture<Contact> add(String userId, String alias);

    /** Removes a contact; fails with NOT_FOUND if the user is not a contact. */
    CompletableFuture<Void> remove(String userId);

    /** Sets ({@code null} or blank clears) the alias of a contact; NOT_FOUND if the user is not a contact. */
    CompletableFuture<Contact> setAlias(String userId, String alias);

    /** @return the contacts from the local copy, in the order they were added */
    List<Contact> contacts();

    /** @return the contact from the local copy */
    Optional<Contact> contact(String userId);

    /**
     * Brings the local copy of the contacts and the block list up to date with the server (it also
     * happens by itself at log-in and after each reconnect): incrementally after the first time.
     * {@code sync} is the SDK's one verb for this in every feature.
     *
     * @return the contacts after the sync; fails with ILLEGAL_STATE when no user is logged in, NETWORK,
     *         TIMEOUT, CLOSED
     * @since 1.1
     */
    default CompletableFuture<List<Contact>> sync() {
        return refresh();
    }

    /**
     * The former name of {@link #sync()}.
     *
     * @return as {@link #sync()}
     * @deprecated since 1.1; use {@link #sync()}, the SDK's one verb for bringing a local copy up to date
     */
    @Deprecated
    CompletableFuture<List<Contact>> refresh();

    // ------------------------------------------------------------ blocking

    /** Blocks a user (again: no change); INVALID_ARGUMENT for oneself, NOT_FOUND for an unknown user. */
    CompletableFuture<Void> block(String userId);

    /** Unblocks a user (one not blocked: no change). */
    CompletableFuture<Void> unblock(String userId);

    /** @return the blocked users from the local copy */
    List<BlockedUser> blocked();

    /** @return whether the local copy says the user is blocked */
    boolean isBlocked(String userId);

    // ------------------------------------------------------------ presence

    /**
     * Sets this device's state, {@link PresenceState#ONLINE} or {@link PresenceState#AWAY} (kept across
     * reconnects of this client). {@link PresenceState#OFFLINE} is not a choice: a device is offline
     * when it is not connected.
     *
     * @return the user's own presence
     */
    CompletableFuture<Presence> setPresence(PresenceState state);

    /** Sets the user's status text (empty clears it), at most {@value #MAX_STATUS_TEXT_CHARS} characters. */
    CompletableFuture<Presence> setStatusText(String text);

    /** Shows or hides the user's last-seen time from everybody (default shown). */
    CompletableFuture<Presence> setLastSeenVisible(boolean visible);

    /**
     * Sets who may see the user's presence at all (default {@link PresenceVisibility#EVERYONE}); kept by
     * the server for every device of the user. With {@link PresenceVisibility#CONTACTS} the audience
     * follows this user's contact list: a user added sees the presence at once, a user removed loses
     * it at once.
     *
     * @param visibility not null
     * @return the user's own presence; fails with INVALID_ARGUMENT if {@code visibility} is null,
     *         NETWORK, TIMEOUT or UNAUTHORIZED as any request
     */
    CompletableFuture<Presence> setPresenceVisibility(PresenceVisibility visibility);

    /**
     * Subscribes to users' presence: {@link ContactListener#presenceChanged} is called when it changes.
     *
     * @return the presence of each user now, by user id; fails with NOT_FOUND naming an unknown user,
     *         INVALID_ARGUMENT for oneself or past {@value #MAX_PRESENCE_SUBSCRIPTIONS} subscriptions
     */
    CompletableFuture<Map<String, Presence>> subscribePresence(Collection<String> userIds);

    /** Ends subscriptions (users not subscribed to are ignored). */
    CompletableFuture<Void> unsubscribePresence(Collection<String> userIds);

    /** @return the presence of users now, without subscribing */
    CompletableFuture<Map<String, Presence>> fetchPresence(Collection<String> userIds);

    /** @return the last presence known of a user (from a subscription, a fetch or an event) */
    Optional<Presence> presence(String userId);

    // ------------------------------------------------------------ address book

    /** Matches the address book with the {@link #defaultRegion() default region} for national numbers. */
    CompletableFuture<MatchResult> matchAddressBook(Collection<String> phoneNumbers);

    /**
     * Matches address-book numbers against the users' verified numbers (see the class description).
     *
     * @param defaultRegion ISO 3166 region of national numbers (such as {@code GB}), or {@code null} to
     *        accept international numbers only
     * @return the matches and the invalid entries; fails with INVALID_ARGUMENT for more than
     *         {@value #MAX_MATCH_NUMBERS} entries or an unknown region
     */
    CompletableFuture<MatchResult> matchAddressBook(Collection<String> phoneNumbers, String defaultRegion);

    /**
     * @return the number in E.164 form
     * @throws org.m800.sdk.core.M800Exception INVALID_ARGUMENT saying why it is not a valid number
     */
    String normalize(String phoneNumber, String defaultRegion);

    /** @return the configured default region for national numbers, if any */
    Optional<String> defaultRegion();

    /** Adds a listener; see {@link ContactListener} for the rules. */
    Subscription addListener(ContactListener listener);
}
