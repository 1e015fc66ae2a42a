package org.m800.sdk.contacts.internal.shell;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.m800.sdk.contacts.AddressBookMatch;
import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.MatchResult;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.ClientDirectory;
import org.m800.sdk.core.M800Exception;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code m800} for contacts, blocking and presence of a client (one made by
 * {@code m800:create} or configured in {@code etc/}), for example:
 *
 * <pre>
 * m800:contactadd demo u-... Bob
 * m800:contactadd demo @bob Bob      (@clientId: the user logged in on that shell client)
 * m800:contacts demo
 * m800:block demo u-...
 * m800:presence demo away "at lunch"
 * m800:presencesub demo u-...
 * m800:contactmatch demo GB 07400123456 "+1 415 555 0132"
 * </pre>
 */
@Component(service = ContactCommands.class, immediate = true, property = {
        "osgi.command.scope=m800",
        "osgi.command.function=contacts",
        "osgi.command.function=contactadd",
        "osgi.command.function=contactremove",
        "osgi.command.function=contactalias",
        "osgi.command.function=contactrefresh",
        "osgi.command.function=block",
        "osgi.command.function=unblock",
        "osgi.command.function=blocked",
        "osgi.command.function=presence",
        "osgi.command.function=presencesub",
        "osgi.command.function=presenceunsub",
        "osgi.command.function=presenceget",
        "osgi.command.function=lastseen",
        "osgi.command.function=contactmatch" })
public final class ContactCommands {

    private final ClientDirectory clients;

    /** Called by Declarative Services; every open client of the framework is found in the directory. */
    @Activate
    public ContactCommands(@Reference ClientDirectory clients) {
        this.clients = clients;
    }

    /** {@code m800:contacts <clientId>}: the contact list (from the local copy). */
    public String contacts(String clientId) {
        StringBuilder out = new StringBuilder();
        for (Contact c : manager(clientId).contacts()) {
            out.append(line(c)).append('\n');
        }
        return out.length() == 0 ? "no contacts" : out.toString().stripTrailing();
    }

    /** {@code m800:contactadd <clientId> <userId> [alias...]}: adds a contact. */
    public String contactadd(String clientId, String userId, String... alias) throws InterruptedException {
        return "added " + line(join(manager(clientId).add(user(userId), alias.length == 0 ? null : String.join(" ", alias))));
    }

    /** {@code m800:contactremove <clientId> <userId>}: removes a contact. */
    public String contactremove(String clientId, String userId) throws InterruptedException {
        String id = user(userId);
        join(manager(clientId).remove(id));
        return "removed " + id;
    }

    /** {@code m800:contactalias <clientId> <userId> [alias...]}: sets the alias (none clears it). */
    public String contactalias(String clientId, String userId, String... alias) throws InterruptedException {
        return line(join(manager(clientId).setAlias(user(userId), alias.length == 0 ? null : String.join(" ", alias))));
    }

    /** {@code m800:contactrefresh <clientId>}: refreshes the local copy from the server. */
    public String contactrefresh(String clientId) throws InterruptedException {
        return join(manager(clientId).sync()).size() + " contacts";
    }

    /** {@code m800:block <clientId> <userId>}. */
    public String block(String clientId, String userId) throws InterruptedException {
        String id = user(userId);
        join(manager(clientId).block(id));
        return "blocked " + id;
    }

    /** {@code m800:unblock <clientId> <userId>}. */
    public String unblock(String clientId, String userId) throws InterruptedException {
        String id = user(userId);
        join(manager(clientId).unblock(id));
        return "unblocked " + id;
    }

    /** {@code m800:blocked <clientId>}: the block list. */
    public String blocked(String clientId) {
        StringBuilder out = new StringBuilder();
        for (BlockedUser b : manager(clientId).blocked()) {
            out.append(b.userId()).append(' ').append(b.username()).append(" \"").append(b.displayName()).append("\"\n");
        }
        return out.length() == 0 ? "nobody is blocked" : out.toString().stripTrailing();
    }

    /**
     * {@code m800:presence <clientId> [online|away] [text...]}: sets this device's state and, when given,
     * the status text; prints the user's own presence.
     */
    public String presence(String clientId, String... args) throws InterruptedException {
        ContactManager m = manager(clientId);
        Presence p = null;
        if (args.length > 0) {
            PresenceState state = switch (args[0].toLowerCase(java.util.Locale.ROOT)) {
                case "online" -> PresenceState.ONLINE;
                case "away" -> PresenceState.AWAY;
                default -> throw M800Exception.invalidArgument("state must be online or away, was " + args[0]);
            };
            p = join(m.setPresence(state));
        }
        if (args.length > 1) {
            p = join(m.setStatusText(String.join(" ", Arrays.copyOfRange(args, 1, args.length))));
        }
        return p == null ? "usage: m800:presence <clientId> online|away [status text...]" : line(p);
    }

    /** {@code m800:lastseen <clientId> true|false}: shows or hides the user's last seen. */
    public String lastseen(String clientId, boolean visible) throws InterruptedException {
        return line(join(manager(clientId).setLastSeenVisible(visible)));
    }

    /** {@code m800:presencesub <clientId> <userId...>}: subscribes; prints the presence now. */
    public String presencesub(String clientId, String... userIds) throws InterruptedException {
        return lines(join(manager(clientId).subscribePresence(users(userIds))));
    }

    /** {@code m800:presenceunsub <clientId> <userId...>}. */
    public String presenceunsub(String clientId, String... userIds) throws InterruptedException {
        join(manager(clientId).unsubscribePresence(users(userIds)));
        return "unsubscribed " + userIds.length;
    }

    /** {@code m800:presenceget <clientId> <userId...>}: the presence now, without subscribing. */
    public String presenceget(String clientId, String... userIds) throws InterruptedException {
        return lines(join(manager(clientId).fetchPresence(users(userIds))));
    }

    /**
     * {@code m800:contactmatch <clientId> <region|-> <number...>}: matches address-book numbers
     * ({@code -} for the configured default region).
     */
    public String contactmatch(String clientId, String region, String... numbers) throws InterruptedException {
        ContactManager m = manager(clientId);
        MatchResult r = join("-".equals(region) ? m.matchAddressBook(List.of(numbers))
                : m.matchAddressBook(List.of(numbers), region));
        StringBuilder out = new StringBuilder();
        out.append(r.numbersChecked()).append(" numbers checked, ").append(r.matches().size()).append(" matches\n");
        for (AddressBookMatch a : r.matches()) {
            out.append(a.phoneNumber()).append(' ').append(a.userId()).append(' ').append(a.username()).append(" \"")
                    .append(a.displayName()).append("\" from ").append(a.inputs()).append('\n');
        }
        r.invalid().forEach((input, why) -> out.append("invalid '").append(input).append("': ").append(why).append('\n'));
        return out.toString().stripTrailing();
    }

    private static String line(Contact c) {
        return c.userId() + " " + c.username() + " \"" + c.displayName() + "\""
                + (c.alias() == null ? "" : " alias \"" + c.alias() + "\"");
    }

    private static String line(Presence p) {
        return p.userId() + " " + p.state() + (p.text().isEmpty() ? "" : " \"" + p.text() + "\"")
                + (p.lastSeen() > 0 ? " last seen " + java.time.Instant.ofEpochMilli(p.lastSeen()) : "");
    }

    private static String lines(Map<String, Presence> all) {
        StringBuilder out = new StringBuilder();
        all.values().forEach(p -> out.append(line(p)).append('\n'));
        return out.toString().stripTrailing();
    }

    /** A user id, or {@code @clientId} for the user logged in on that client. */
    private String user(String idOrClient) {
        return clients.userId(idOrClient);
    }

    private List<String> users(String... ids) {
        return Arrays.stream(ids).map(this::user).toList();
    }

    private ContactManager manager(String clientId) {
        return clients.require(clientId).module(ContactManager.class).orElseThrow(() -> new M800Exception(
                ErrorCode.FEATURE_UNAVAILABLE, "client " + clientId + " has no contacts feature ready; m800:status "
                        + clientId + " says what it waits for"));
    }

    private static <T> T join(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                throw new M800Exception(m.code(), m.getMessage(), m);
            }
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "no answer within 30 s");
        }
    }
}
