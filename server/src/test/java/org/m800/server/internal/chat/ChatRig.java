package org.m800.server.internal.chat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.m800.server.internal.accounts.AccountsFeature;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.db.Migrations;
import org.m800.server.internal.events.EventLog;

/**
 * The chat's services on a real H2 file database in a temporary folder, without the WebSocket layer:
 * for tests that need many users or many conversations (sign-ups over HTTP would take minutes).
 */
final class ChatRig implements AutoCloseable {
    final Path folder;
    final Database database;
    final EventLog events;
    final ChatTables tables;
    final Conversations conversations;
    final ChatFanOut fanOut;
    final ConversationService groups;
    final MessageService messages;

    ChatRig(int cachedConversations) throws Exception {
        this(cachedConversations, "");
    }

    /** @param settings more H2 settings for the URL, each with its leading {@code ;} */
    ChatRig(int cachedConversations, String settings) throws Exception {
        folder = Files.createTempDirectory("chat-rig");
        database = new Database("jdbc:h2:file:" + folder.resolve("m800") + ";DB_CLOSE_ON_EXIT=FALSE" + settings, "",
                "");
        Migrations migrations = new Migrations(database);
        migrations.apply("core", new AccountsFeature().migrations());
        migrations.apply("chat", new ChatFeature().migrations());
        Clock clock = Clock.systemUTC();
        events = new EventLog(database, clock);
        tables = new ChatTables(database);
        conversations = new Conversations(tables, cachedConversations);
        fanOut = new ChatFanOut(events, BlockPolicy.NONE);
        groups = new ConversationService(tables, conversations, fanOut, clock, 1_000_000);
        messages = new MessageService(tables, conversations, fanOut, clock);
    }

    /** Inserts users {@code prefix0...} of one carrier directly. @return their ids */
    List<String> users(String prefix, int n) throws SQLException {
        List<String> ids = new ArrayList<>();
        database.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO accounts (id, carrier, username, password_hash, "
                    + "display_name, status_message, created_at, updated_at) VALUES (?, 'c', ?, 'x', '', '', 0, 0)")) {
                for (int i = 0; i < n; i++) {
                    String id = prefix + i;
                    p.setString(1, id);
                    p.setString(2, id);
                    p.addBatch();
                    ids.add(id);
                }
                p.executeBatch();
            }
            return null;
        });
        return ids;
    }

    long scalar(String sql) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement p = c.prepareStatement(sql);
                ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** @return the bytes of the database's files */
    long fileBytes() throws Exception {
        try (var files = Files.list(folder)) {
            long sum = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                sum += Files.size(p);
            }
            return sum;
        }
    }

    @Override
    public void close() throws Exception {
        database.close();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
