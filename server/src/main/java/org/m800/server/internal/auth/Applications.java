package org.m800.server.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.verification.VerificationSettingsJson;
import org.m800.server.internal.wire.Json;

/** The registered applications, by key. Immutable, thread-safe. */
public final class Applications {
    private final Map<String, ApplicationRegistration> byKey;

    public Applications(Collection<ApplicationRegistration> registrations) {
        Map<String, ApplicationRegistration> map = new LinkedHashMap<>();
        for (ApplicationRegistration r : registrations) {
            ApplicationRegistration old = map.put(r.applicationKey(), r);
            if (old != null && !old.equals(r)) {
                throw new IllegalArgumentException("two applications share the key " + r.applicationKey());
            }
        }
        this.byKey = Map.copyOf(map);
    }

    public Optional<ApplicationRegistration> byKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Collection<ApplicationRegistration> all() {
        return byKey.values();
    }

    /**
     * Reads a registration file: {@code {"applications":[{"carrier":..., "applicationIdentifier":...,
     * "applicationKey":..., "applicationSecret":..., "developerKey":..., "verification": {...}}, ...]}}
     * ({@code verification} is optional, see {@link VerificationSettingsJson}).
     *
     * @throws IOException if the file cannot be read or is not such a document
     */
    public static List<ApplicationRegistration> readFile(Path file) throws IOException {
        JsonNode root = Json.MAPPER.readTree(Files.readString(file));
        JsonNode apps = root == null ? null : root.get("applications");
        if (apps == null || !apps.isArray()) {
            throw new IOException(file + ": expected {\"applications\": [...]}");
        }
        List<ApplicationRegistration> result = new ArrayList<>();
        int i = 0;
        for (JsonNode a : apps) {
            try {
                result.add(new ApplicationRegistration(text(a, "carrier"), text(a, "applicationIdentifier"),
                        text(a, "applicationKey"), text(a, "applicationSecret"), text(a, "developerKey"),
                        VerificationSettingsJson.read(a.get("verification"))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": application #" + i + ": " + e.getMessage(), e);
            }
            i++;
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || !n.isTextual() ? null : n.textValue();
    }
}
