package org.m800.sdk.core.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.m800.sdk.core.Client;
import org.m800.sdk.core.ModuleDefinition;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What every shell command class of the SDK needs, in one place: an OSGi service of the core bundle
 * that command components reference. Commands are plain public methods (Gogo calls them
 * reflectively); they throw {@link org.m800.sdk.core.M800Exception} for anything that goes wrong,
 * which the shell prints once and a {@code --script} treats as a failure.
 *
 * <p><b>Output.</b> In text mode (the default) a command that creates something prints a line that
 * starts with {@code <kind> <id>} (such as {@code conversation c-42}, or {@code client demo created}),
 * so that a script can keep it in a variable and hand it to the next command: every parameter that
 * takes an id also accepts that line (see {@link #id(String, String)}). In JSON mode ({@code m800:json on}, the runtime's {@code --json},
 * or the framework property {@value #JSON_PROPERTY}{@code =true}) every result is one JSON object on
 * one line; an id is a field named after its kind ({@code {"conversation":"c-42"}}) and such a line is
 * accepted as an id too. The mode is one switch for the whole framework.
 *
 * <p>Thread-safe. No method waits longer than the timeout it is given (or {@link #DEFAULT_TIMEOUT}).
 */
@ProviderType
public interface ShellSupport {

    /** The framework property that starts the shell in JSON mode when {@code true}. */
    String JSON_PROPERTY = "m800.shell.json";

    /** Prefix of the framework properties that give defaults to clients made by the shell. */
    String DEFAULTS_PREFIX = "m800.defaults.";

    /** How long {@link #join(CompletableFuture)} waits. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Any open client by id, however it was made (shell, configuration, application).
     *
     * @throws org.m800.sdk.core.M800Exception {@code NOT_FOUND} naming the id
     */
    Client client(String clientId);

    /**
     * A module of a client, such as {@code ChatManager.class}.
     *
     * @throws org.m800.sdk.core.M800Exception {@code NOT_FOUND} for an unknown client,
     *         {@code FEATURE_UNAVAILABLE} naming the client and the type when the module is not built
     */
    <M> M feature(String clientId, Class<M> type);

    /**
     * A user id as typed: {@code @clientId} means the user logged in on that client, anything else
     * is taken as it is (an id in the form {@code user <id>} or a JSON line with a {@code user} field
     * is unwrapped).
     *
     * @throws org.m800.sdk.core.M800Exception {@code INVALID_ARGUMENT} for a blank value, {@code NOT_FOUND}
     *         or {@code ILLEGAL_STATE} when {@code @clientId} names no client or one not logged in
     */
    String userId(String userIdOrClient);

    /**
     * The id in an argument that may be a printed result: a line that starts with {@code <kind> <id>}
     * (the id is the word after the kind; ids have no spaces), a JSON object with the field
     * {@code kind}, or the bare id.
     *
     * @throws org.m800.sdk.core.M800Exception {@code INVALID_ARGUMENT} for a blank value, or for a
     *         JSON object without the field
     */
    String id(String kind, String argument);

    /**
     * Waits for a future.
     *
     * @return its value
     * @throws org.m800.sdk.core.M800Exception the future's own {@code M800Exception} (same code and
     *         message), {@code TIMEOUT} when it did not complete in time, {@code ILLEGAL_STATE} for
     *         another failure
     * @throws InterruptedException if the shell's thread is interrupted
     */
    <T> T join(CompletableFuture<T> future, Duration timeout) throws InterruptedException;

    /** As {@link #join(CompletableFuture, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    default <T> T join(CompletableFuture<T> future) throws InterruptedException {
        return join(future, DEFAULT_TIMEOUT);
    }

    /**
     * The client settings given by the framework properties {@value #DEFAULTS_PREFIX}{@code <key>}
     * (the runtime sets them for its embedded server): keys of {@code AppMeta} and {@code ClientConfig}.
     *
     * @return a new mutable map, in a stable order
     */
    Map<String, Object> defaults();

    /**
     * Creates a client on the {@link #defaults()} with its data in {@code dataDirectory} and waits
     * until {@code feature} is ready: the demos' clients.
     *
     * @param overrides module overrides for this client (may be empty)
     * @throws org.m800.sdk.core.M800Exception {@code INVALID_ARGUMENT} when the defaults name no IM
     *         server, {@code TIMEOUT} when the feature is not ready within the client's feature
     *         timeout (the client is closed then)
     */
    Client demoClient(String clientId, Path dataDirectory, List<ModuleDefinition> overrides, String feature)
            throws InterruptedException;

    /** @return whether results are printed as JSON lines */
    boolean json();

    /** Switches JSON mode on or off for every shell of the framework. */
    void json(boolean on);

    /**
     * The result of a command that created something.
     *
     * @param kind what was created, such as {@code conversation}; also the JSON field name
     * @param id its id
     * @return {@code <kind> <id>}, or in JSON mode {@code {"<kind>":"<id>"}}
     */
    default String created(String kind, String id) {
        return result(kind + " " + id, Map.of(kind, id));
    }

    /**
     * A result with fields.
     *
     * @param text what text mode prints
     * @param fields what JSON mode prints, as one JSON object (values: strings, numbers, booleans,
     *        lists and maps of them, or {@code null})
     */
    String result(String text, Map<String, ?> fields);

    /**
     * A result that is a list of rows.
     *
     * @param text what text mode prints
     * @param field the JSON field that holds the rows
     * @param rows what JSON mode prints, as {@code {"<field>":[...]}}
     */
    default String rows(String text, String field, List<? extends Map<String, ?>> rows) {
        return result(text, Map.of(field, rows));
    }

    /** A result that is only text: as it is, or in JSON mode {@code {"result":"<text>"}}. */
    default String text(String text) {
        return result(text, Map.of("result", text));
    }
}
