package org.m800.sdk.contacts.internal.shell;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.felix.service.command.Descriptor;

import org.m800.sdk.contacts.AddressBookMatch;
import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.MatchResult;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.contacts.UserSummary;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.shell.ShellSupport;
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
        "osgi.command.function=contactmatch",
        "osgi.command.function=userfind",
        "osgi.command.function=usersearch",
        "osgi.command.function=discoverable" })
public final class ContactCommands {

    private final ShellSupport shell;

    /** Called by Declarative Services; every open client of the framework is found through the shell support. */
    @Activate
    public ContactCommands(@Reference ShellSupport shell) {
        this.shell = shell;
    }

    /** {@code m800:contacts <clientId>}: the contact list (from the local copy). */
    @Descriptor("the contact list of a client (from its local copy)")
    public String contacts(@Descriptor("the client id") String clientId) {
        StringBuilder out = new StringBuilder();
        for (Contact c : manager(clientId).contacts()) {
            out.append(line(c)).append('\n');
        }
        return shell.text(out.length() == 0 ? "no contacts" : out.toString().stripTrailing());
    }

    /** {@code m800:contactadd <clientId> <userId> [alias...]}: adds a contact. */
    @Descriptor("adds a contact")
    public String contactadd(@Descriptor("the client id") String clientId,
            @Descriptor("a user id, or @clientId for the user logged in on that client") String userId,
            @Descriptor("the alias (words; none clears it)") String... alias) throws InterruptedException {
        return shell.text("added " + line(join(manager(clientId).add(user(userId), alias.length == 0 ? null : String.join(" ", alias)))));
    }

    /** {@code m800:contactremove <clientId> <userId>}: removes a contact. */
    @Descriptor("removes a contact")
    public String contactremove(@Descriptor("the client id") String clientId,
            @Descriptor("a user id, or @clientId for the user logged in on that client") String userId)
            throws InterruptedException {
        String id = user(userId);
        join(manager(clientId).remove(id));
        return shell.text("removed " + id);
    }

    /** {@code m800:contactalias <clientId> <userId> [alias...]}: sets the alias (none clears it). */
    @Descriptor("sets or clears a contact's alias")
    public String contactalias(@Descriptor("the client id") String clientId,
            @Descriptor("a user id, or @clientId for the user logged in on that client") String userId,
            @Descriptor("the alias (words; none clears it)") String... alias) throws InterruptedException {
        return shell.text(line(join(manager(clientId).setAlias(user(userId), alias.length == 0 ? null : String.join(" ", alias)))));
    }

    /** {@code m800:contactrefresh <clientId>}: refreshes the local copy from the server. */
    @Descriptor("brings the local contact list up to date from the server")
    public String contactrefresh(@Descriptor("the client id") String clientId) throws InterruptedException {
        return shell.text(join(manager(clientId).sync()).size() + " contacts");
    }

    /** {@code m800:block <clientId> <userId>}. */
    @Descriptor("blocks a user: their messages stop arriving; they are not told")
    public String block(@Descriptor("the client id") String clientId,
            @Descriptor("a user id, or @clientId for the user logged in on that client") String userId)
            throws InterruptedException {
        String id = user(userId);
        join(manager(clientId).block(id));
        return shell.text("blocked " + id);
    }

    /** {@code m800:unblock <clientId> <userId>}. */
    @Descriptor("unblocks a user")
    public String unblock(@Descriptor("the client id") String clientId,
            @Descriptor("a user id, or @clientId for the user logged in on that client") String userId)
            throws InterruptedException {
        String id = user(userId);
        join(manager(clientId).unblock(id));
        return shell.text("unblocked " + id);
    }

    /** {@code m800:blocked <clientId>}: the block list. */
    @Descriptor("the block list")
    public String blocked(@Descriptor("the client id") String clientId) {
        StringBuilder out = new StringBuilder();
        for (BlockedUser b : manager(clientId).blocked()) {
            out.append(b.userId()).append(' ').append(b.username()).append(" \"").append(b.displayName()).append("\"\n");
        }
        return shell.text(out.length() == 0 ? "nobody is blocked" : out.toString().stripTrailing());
    }

    /**
     * {@code m800:presence <clientId> [online|away] [text...]}: sets this device's state and, when given,
     * the status text; prints the user's own presence.
     */
    @Descriptor("sets this device's presence state and status text; prints the user's own presence")
    public String presence(@Descriptor("the client id") String clientId,
            @Descriptor("[online|away] [status text...]: this device's state and the status text") String... args)
            throws InterruptedException {
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
        return shell.text(p == null ? "usage: m800:presence <clientId> online|away [status text...]" : line(p));
    }

    /** {@code m800:lastseen <clientId> true|false}: shows or hides the user's last seen. */
    @Descriptor("shows or hides the user's last-seen time")
    public String lastseen(@Descriptor("the client id") String clientId,
            @Descriptor("true shows the last-seen time to others, false hides it") boolean visible)
            throws InterruptedException {
        return shell.text(line(join(manager(clientId).setLastSeenVisible(visible))));
    }

    /** {@code m800:presencesub <clientId> <userId...>}: subscribes; prints the presence now. */
    @Descriptor("subscribes to users' presence; prints it now")
    public String presencesub(@Descriptor("the client id") String clientId,
            @Descriptor("user ids (or @clientId for the user logged in on that client)") String... userIds)
            throws InterruptedException {
        return shell.text(lines(join(manager(clientId).subscribePresence(users(userIds)))));
    }

    /** {@code m800:presenceunsub <clientId> <userId...>}. */
    @Descriptor("stops the presence events of users")
    public String presenceunsub(@Descriptor("the client id") String clientId,
            @Descriptor("user ids (or @clientId for the user logged in on that client)") String... userIds)
            throws InterruptedException {
        join(manager(clientId).unsubscribePresence(users(userIds)));
        return shell.text("unsubscribed " + userIds.length);
    }

    /** {@code m800:presenceget <clientId> <userId...>}: the presence now, without subscribing. */
    @Descriptor("the presence of users now, without subscribing")
    public String presenceget(@Descriptor("the client id") String clientId,
            @Descriptor("user ids (or @clientId for the user logged in on that client)") String... userIds)
            throws InterruptedException {
        return shell.text(lines(join(manager(clientId).fetchPresence(users(userIds)))));
    }

    /**
     * {@code m800:contactmatch <clientId> <region|-> <number...>}: matches address-book numbers
     * ({@code -} for the configured default region).
     */
    @Descriptor("finds the users who verified phone numbers of an address book")
    public String contactmatch(@Descriptor("the client id") String clientId,
            @Descriptor("the region of national numbers, such as GB, or - for the configured default") String region,
            @Descriptor("phone numbers as in the address book") String... numbers) throws InterruptedException {
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
        return shell.text(out.toString().stripTrailing());
    }

    /** {@code m800:userfind <clientId> <username>}: the user of that exact username. */
    @Descriptor("finds the user of an exact username; prints 'user <id>', the username and the display name")
    public String userfind(@Descriptor("the client id") String clientId, @Descriptor("the exact username") String username)
            throws InterruptedException {
        UserSummary u = join(manager(clientId).findUser(username)).orElseThrow(() -> new M800Exception(
                ErrorCode.NOT_FOUND, "no user named " + username));
        return shell.result(line(u), row(u));
    }

    /** {@code m800:usersearch <clientId> <prefix> [limit]}: users found by display-name prefix. */
    @Descriptor("finds users by the start of their display name, among those who allow it (m800:discoverable)")
    public String usersearch(@Descriptor("the client id") String clientId,
            @Descriptor("the start of the display name, at least 2 characters") String prefix,
            @Descriptor("how many at most (default 20, at most 50)") int... limit) throws InterruptedException {
        List<UserSummary> found = join(manager(clientId).searchUsers(prefix, limit.length > 0 ? limit[0] : 20));
        StringBuilder out = new StringBuilder();
        found.forEach(u -> out.append(line(u)).append('\n'));
        return shell.rows(out.length() == 0 ? "nobody found" : out.toString().stripTrailing(), "users",
                found.stream().map(ContactCommands::row).toList());
    }

    /** {@code m800:discoverable <clientId> true|false}: whether others may find the user by display name. */
    @Descriptor("sets whether others may find the logged-in user by the start of their display name (off by default)")
    public String discoverable(@Descriptor("the client id") String clientId,
            @Descriptor("true allows it, false stops it") boolean byDisplayName) throws InterruptedException {
        boolean now = join(manager(clientId).setDiscoverable(byDisplayName));
        return shell.result("discoverable by display name: " + now, Map.of("byDisplayName", now));
    }

    private static String line(UserSummary u) {
        return "user " + u.userId() + " " + u.username() + " \"" + u.displayName() + "\"";
    }

    private static Map<String, Object> row(UserSummary u) {
        return Map.of("user", u.userId(), "username", u.username(), "displayName", u.displayName());
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
        return shell.userId(idOrClient);
    }

    private List<String> users(String... ids) {
        return Arrays.stream(ids).map(this::user).toList();
    }

    private ContactManager manager(String clientId) {
        return shell.feature(clientId, ContactManager.class);
    }

    private <T> T join(CompletableFuture<T> future) throws InterruptedException {
        return shell.join(future);
    }
}
