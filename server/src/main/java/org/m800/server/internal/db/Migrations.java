package org.m800.server.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each feature's versioned SQL scripts that are newer than what the {@code schema_version}
 * table records, one transaction per script.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private final Database database;

    public Migrations(Database database) {
        this.database = database;
    }

    /** Creates {@code schema_version} if missing, then applies the feature's pending migrations. */
    public void apply(String feature, List<Migration> migrations) throws SQLException {
        ensureVersionTable();
        int current = currentVersion(feature);
        int expected = 1;
        for (Migration m : migrations) {
            if (m.version() != expected++) {
                throw new IllegalArgumentException("migrations of " + feature + " must be numbered 1, 2, 3...");
            }
            if (m.version() <= current) {
                continue;
            }
            List<String> statements = statements(m.resource());
            database.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : statements) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO schema_version (feature, version, description, applied_at) VALUES (?, ?, ?, ?)")) {
                    p.setString(1, feature);
                    p.setInt(2, m.version());
                    p.setString(3, m.description());
                    p.setLong(4, System.currentTimeMillis());
                    p.executeUpdate();
                }
                return null;
            });
            LOG.info("Applied migration {} v{}: {}", feature, m.version(), m.description());
        }
    }

    /** @return the newest applied version of the feature, 0 if none */
    public int currentVersion(String feature) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT MAX(version) FROM schema_version WHERE feature = ?")) {
            p.setString(1, feature);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        }
    }

    private void ensureVersionTable() throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (feature VARCHAR(64) NOT NULL, version INT NOT NULL, "
                    + "description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (feature, version))");
        }
    }

    static List<String> statements(String resource) {
        String text;
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration script " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                result.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString().strip());
        }
        return result;
    }
}
