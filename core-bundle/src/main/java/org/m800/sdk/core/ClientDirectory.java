package org.m800.sdk.core;

import java.util.List;
import java.util.Optional;

/**
 * Every open client of the framework, by id, whichever bundle made it: a client of
 * {@code m800:create}, one made from a Configuration Admin factory configuration (a Karaf
 * {@code etc/org.m800.sdk.client-<name>.cfg} file), or one an application made in code with its
 * {@link ClientFactory}. The core bundle publishes it as an OSGi service, so that tools such as the
 * shell commands of every feature bundle find any client and {@link Client#require(Class)} its
 * managers, without keeping clients of their own.
 *
 * <p>A client is listed from the moment {@link ClientFactory#create} returns it until it is closed.
 * Client ids are unique per factory, not across the framework: if two open clients share an id,
 * {@link #find(String)} gives the one created first. Thread-safe; the answers are snapshots.
 *
 * @since 1.2
 */
public interface ClientDirectory {

    /**
     * @param clientId a client id
     * @return the open client of that id (the oldest if several factories made one), or empty
     */
    Optional<Client> find(String clientId);

    /**
     * Like {@link #find(String)}, for code that cannot go on without the client.
     *
     * @throws M800Exception {@link ErrorCode#NOT_FOUND} naming the id if no open client has it
     */
    default Client require(String clientId) {
        return find(clientId).orElseThrow(() -> new M800Exception(ErrorCode.NOT_FOUND, "no client " + clientId
                + " is open; m800:clients lists them"));
    }

    /** @return the open clients, oldest first */
    List<Client> clients();

    /**
     * A user id as a person types it on a command line: a user id is returned as it is;
     * {@code @<clientId>} means the user logged in on that client.
     *
     * @throws M800Exception {@link ErrorCode#NOT_FOUND} if the client is not open or nobody is logged in
     *         on it; {@link ErrorCode#INVALID_ARGUMENT} if the text is blank
     */
    default String userId(String userIdOrClient) {
        if (userIdOrClient == null || userIdOrClient.isBlank()) {
            throw M800Exception.invalidArgument("a user id (or @clientId) is required");
        }
        if (!userIdOrClient.startsWith("@")) {
            return userIdOrClient;
        }
        String clientId = userIdOrClient.substring(1);
        return require(clientId).module(AccountManager.class).flatMap(AccountManager::profile).map(Profile::userId)
                .orElseThrow(() -> new M800Exception(ErrorCode.NOT_FOUND, "no user is logged in on client " + clientId));
    }
}
