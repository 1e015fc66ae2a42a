package org.m800.sdk.chat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.m800.sdk.core.Subscription;

/**
 * The module {@value #MODULE}: one-to-one and group chat for the logged-in user.
 *
 * <h2>The delivery guarantee</h2>
 * Every message sent is delivered exactly once to every recipient device, in the order the server
 * accepted it within its conversation, across disconnects, client restarts and server restarts.
 * How:
 * <ol>
 * <li>{@link #send} gives the message a new id and appends it to the outbox file in the client's
 * data directory before it returns. The bytes are handed to the operating system ({@code write})
 * before {@code send} returns, so the message survives a crash of the JVM from that moment; the file
 * is forced to the disk ({@code fsync}) at most {@value #SYNC_INTERVAL_MS} ms later, so an operating
 * system crash or power loss can lose only the messages of the last {@value #SYNC_INTERVAL_MS} ms.</li>
 * <li>The outbox is sent in order and re-sent after every reconnect, and by the next client opened
 * on the same data directory, until the server answers. The server de-duplicates by (sender,
 * message id): a repeat gets the first answer and never a second seq.</li>
 * <li>The server gives the message the next seq of its conversation and appends a
 * {@code chat.message} event to the event log of every member (the sender's other devices included)
 * before the next message of the conversation; each device resumes its log from the last event it
 * processed, so nothing is skipped.</li>
 * <li>The receiving device stores the message (de-duplicated by id) before it acknowledges the event,
 * and calls {@link ChatListener#messageReceived} once.</li>
 * </ol>
 * Two order exceptions, both reported with the message's seq, and the local history is ordered by
 * seq regardless: if the server crashed between accepting a message and appending it to every
 * member's log, the repeat sent after its restart appends it again, after any message accepted in
 * between; and a message whose event reached the client while this feature was not installed (the
 * core acknowledges events no feature takes) is fetched by the {@link #sync} the feature runs when it
 * starts, so it is reported after any newer message that arrived live before that sync answered.
 *
 * <h2>Limits</h2>
 * A text is 1 to {@value #MAX_TEXT_CHARS} characters (Unicode code points) and not blank; a message's
 * content as JSON is at most {@value #MAX_CONTENT_BYTES} bytes; a group has at most
 * {@value #MAX_GROUP_MEMBERS} members. Content over a limit is refused by {@link #send} with
 * {@link org.m800.sdk.core.ErrorCode#INVALID_ARGUMENT} before anything is stored or sent; the server
 * enforces the same limits.
 *
 * <h2>Storage and threads</h2>
 * Conversations, messages and the outbox live in the client's own files under its data directory
 * ({@code chat/<user>/}), per logged-in user; history and unread counts are answered from there and
 * filled from the server when the local store lacks messages. At log-in (and at every start of a
 * logged-in client) the conversation list is synchronised and what arrived while offline is fetched.
 * A client away longer than the server keeps events (the reference server: 30 days, 10,000 events per
 * user) is told so by the server when it resumes and resynchronises by itself: the conversation list
 * (groups it was removed from meanwhile report {@link Conversation#member()} false), the messages it
 * missed, and the edits, deletions and reactions of the last 1,000 messages of each conversation,
 * each reported to the listeners as it is applied.
 * Futures complete, and listeners are called, on the client's event threads. Thread-safe.
 *
 * <h2>Order of one sender's messages</h2>
 * The messages one device sends are accepted by the server in the order of the {@link #send} calls,
 * also across connection cuts and restarts (the outbox never lets a later message overtake an earlier
 * one that is being sent again), so every member sees them in that order.
 *
 * <h2>Following the state with a listener</h2>
 * A listener hears every change made after {@link #addListener} returned, in the order the changes
 * were stored. To follow the state from the start (on a client just opened, whose store restores
 * messages and whose outbox may already be sending), add the listener first, then read
 * {@link #conversations()}, {@link #outbox()}, {@link #message} or {@link #history}: that snapshot
 * plus the events that follow is the whole picture. An event may repeat a change the read already
 * showed (the read came after the change, the event was queued before); none is missed. A read made
 * before the store finished opening opens it on the caller's thread.
 *
 * <h2>Errors</h2>
 * Operations that return a future never throw for bad input or state (the core API 1.2 rule, see
 * {@link org.m800.sdk.core}): the future fails with an {@link org.m800.sdk.core.M800Exception}:
 * {@code INVALID_ARGUMENT} for bad input (nothing sent), {@code NOT_FOUND} for an unknown
 * conversation, message or user and for a conversation the user is not a member of,
 * {@code UNAUTHORIZED} when the user's role does not allow the change (or the message is someone
 * else's), {@code ILLEGAL_STATE} when no user is logged in, {@code CLOSED} when the client closed
 * first; network failures as {@code NETWORK} / {@code TIMEOUT}. {@link #send} is synchronous (it
 * stores the message before it returns) and throws instead; its acceptance future follows the rule.
 */
public interface ChatManager {

    /** The module name. */
    String MODULE = "chat";

    /** The longest text, in characters (code points). */
    int MAX_TEXT_CHARS = 4_096;

    /** The largest content of one message, as UTF-8 JSON bytes. */
    int MAX_CONTENT_BYTES = 16_384;

    /** The largest group, the owner included. */
    int MAX_GROUP_MEMBERS = 256;

    /** The longest group title, in characters. */
    int MAX_TITLE_CHARS = 100;

    /** How often, at most, the store's files are forced to the disk after a change. */
    int SYNC_INTERVAL_MS = 100;

    /** How long a typing indicator lasts unless renewed; typing events older than this are dropped. */
    int TYPING_TIMEOUT_MS = 10_000;

    /** The largest history page. */
    int MAX_PAGE = 200;

    // ------------------------------------------------------------ conversations

    /**
     * Opens the direct conversation with another user (the same one every time).
     *
     * @return the conversation; fails with NOT_FOUND for an unknown user, INVALID_ARGUMENT for oneself
     */
    CompletableFuture<Conversation> openDirect(String userId);

    /**
     * Creates a group owned by the logged-in user; every member is told with a {@code CREATED} change.
     *
     * @param title 1 to {@value #MAX_TITLE_CHARS} characters
     * @param memberUserIds the other members (may be empty)
     */
    CompletableFuture<Conversation> createGroup(String title, List<String> memberUserIds);

    /** Renames a group (owner or admin). */
    CompletableFuture<Conversation> rename(String conversationId, String title);

    /** Adds members to a group (owner or admin); they see messages from now on. */
    CompletableFuture<Conversation> invite(String conversationId, List<String> userIds);

    /** Removes a member (the owner removes anyone; an admin removes members). */
    CompletableFuture<Conversation> removeMember(String conversationId, String userId);

    /** Leaves a group; the conversation stays in the local store, marked as no longer a member. */
    CompletableFuture<Void> leave(String conversationId);

    /** Makes a member an admin or a member again (owner only); {@code role} is ADMIN or MEMBER. */
    CompletableFuture<Conversation> setRole(String conversationId, String userId, Role role);

    /** @return the conversations in the local store, the most recently active first */
    List<Conversation> conversations();

    /** @return the conversation from the local store */
    Optional<Conversation> conversation(String conversationId);

    /**
     * When the first synchronisation of the logged-in user's local copy is done: after log-in on a new
     * device the conversation list and what arrived while offline come from the server a moment later,
     * and an application that shows them waits for this (or for {@link ChatListener#synced()}).
     * {@link #history} of a conversation the local copy does not know yet waits for it by itself.
     *
     * @return completes (on the client's event threads, after the listeners were told of what it
     *         stored) when the first sync since log-in or since this client started has finished, at
     *         once if it has; a sync that fails for network trouble is
     *         tried again at the next connection, and the future waits for that. Fails with
     *         {@code ILLEGAL_STATE} if no user is logged in and with {@code CLOSED} if the client closes
     *         or the user logs out first. Never throws.
     * @since 1.2
     */
    default CompletableFuture<Void> firstSync() {
        return sync();
    }

    /**
     * Brings the local copy up to date: fetches the conversation list and the messages that arrived
     * while this device was offline (happens by itself at log-in). {@code sync} is the SDK's one verb
     * for this in every feature.
     *
     * @return completes on the client's event threads once the local copy is up to date and after
     *         the listeners were told of everything this sync stored (so a listener's view read when it
     *         completes is the whole picture; do not wait for it inside a listener, which would wait
     *         for itself); fails with {@code ILLEGAL_STATE} if no user is logged in, with what the
     *         requests it makes fail with (see {@code ConnectService.request}) and with {@code CLOSED} if the client
     *         closes first. Never throws.
     */
    CompletableFuture<Void> sync();

    // ------------------------------------------------------------ messages

    /**
     * Sends a message: stores it in the outbox (see the guarantee above) and returns; it is sent now
     * or when the connection is back.
     *
     * @return the stored message and its acceptance
     * @throws org.m800.sdk.core.M800Exception INVALID_ARGUMENT for content over a limit or empty text;
     *         NOT_FOUND for a conversation this device does not know or the user left; ILLEGAL_STATE if
     *         no user is logged in
     */
    Sending send(String conversationId, MessageContent content);

    /** Shorthand for {@code send(conversationId, new MessageContent.Text(text))}. */
    default Sending sendText(String conversationId, String text) {
        return send(conversationId, new MessageContent.Text(text));
    }

    /** Replaces the text of an own, sent text message; every member's device updates it. */
    CompletableFuture<Message> edit(String conversationId, String messageId, String text);

    /** Deletes an own sent message for everyone. */
    CompletableFuture<Message> delete(String conversationId, String messageId);

    /** Adds ({@code add = true}) or removes the user's reaction with that emoji. */
    CompletableFuture<Message> react(String conversationId, String messageId, String emoji, boolean add);

    /** Moves the user's read marker to the newest message; the senders see READ. */
    CompletableFuture<Void> markRead(String conversationId);

    /** Tells the other members the user is typing (or stopped); send again every few seconds while typing. */
    CompletableFuture<Void> typing(String conversationId, boolean typing);

    /**
     * A page of history, newest first: from the local store when it has the page, else from the server
     * (the page is then stored).
     *
     * @param beforeSeq only messages with a smaller seq; 0 for the newest page (which starts with the
     *        messages still being sent)
     * @param limit 1 to {@value #MAX_PAGE}
     */
    CompletableFuture<HistoryPage> history(String conversationId, long beforeSeq, int limit);

    /**
     * @return the message from the local store: the user's own with that id if there is one, else
     *         another sender's (ids are unique per sender only; see {@link #message(String, String)})
     */
    Optional<Message> message(String messageId);

    /**
     * @return the message of that sender with that id from the local store; messages are kept by
     *         (sender, message id), as the server de-duplicates them
     * @since 1.1
     */
    default Optional<Message> message(String senderId, String messageId) {
        return message(messageId).filter(m -> m.senderId().equals(senderId));
    }

    /** @return the messages of others after the user's read marker, not deleted; 0 for an unknown conversation */
    int unreadCount(String conversationId);

    /** @return the messages not yet accepted by the server, oldest first */
    List<Message> outbox();

    /**
     * Adds a listener; see {@link ChatListener} for the rules and "Following the state with a listener"
     * above for what it hears.
     *
     * @throws org.m800.sdk.core.M800Exception INVALID_ARGUMENT for {@code null}
     */
    Subscription addListener(ChatListener listener);
}
