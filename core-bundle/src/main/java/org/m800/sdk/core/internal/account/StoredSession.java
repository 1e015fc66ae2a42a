package org.m800.sdk.core.internal.account;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.m800.sdk.core.Profile;
import org.m800.sdk.core.internal.wire.Json;

/** A login session as the server issued it (docs/protocol.md section 5), and how it is stored. */
record StoredSession(String userId, String sessionId, String accessToken, long accessTokenExpiresAt,
        String refreshToken, long refreshTokenExpiresAt, Profile profile) {

    static StoredSession fromAnswer(Map<String, Object> answer, Profile fallbackProfile) {
        Map<String, Object> p = Json.object(answer, "profile");
        Profile profile = p.isEmpty() ? fallbackProfile : profile(p);
        String userId = Json.text(answer, "userId");
        String access = Json.text(answer, "accessToken");
        String refresh = Json.text(answer, "refreshToken");
        if (userId == null || access == null || refresh == null) {
            throw new org.m800.sdk.core.M800Exception(org.m800.sdk.core.ErrorCode.PROTOCOL,
                    "the server's session answer lacks userId, accessToken or refreshToken");
        }
        return new StoredSession(userId, Json.text(answer, "sessionId"), access,
                Json.number(answer, "accessTokenExpiresAt", 0), refresh, Json.number(answer, "refreshTokenExpiresAt", 0),
                profile);
    }

    static Profile profile(Map<String, Object> p) {
        return new Profile(Json.text(p, "userId"), Json.text(p, "username"), Json.text(p, "carrier"),
                Json.text(p, "displayName"), String.valueOf(p.getOrDefault("statusMessage", "")),
                Json.number(p, "createdAt", 0), Json.number(p, "updatedAt", 0));
    }

    StoredSession withProfile(Profile updated) {
        return new StoredSession(userId, sessionId, accessToken, accessTokenExpiresAt, refreshToken,
                refreshTokenExpiresAt, updated);
    }

    byte[] toBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", userId);
        m.put("sessionId", sessionId);
        m.put("accessToken", accessToken);
        m.put("accessTokenExpiresAt", accessTokenExpiresAt);
        m.put("refreshToken", refreshToken);
        m.put("refreshTokenExpiresAt", refreshTokenExpiresAt);
        if (profile != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("userId", profile.userId());
            p.put("username", profile.username());
            p.put("carrier", profile.carrier());
            p.put("displayName", profile.displayName());
            p.put("statusMessage", profile.statusMessage());
            p.put("createdAt", profile.createdAt());
            p.put("updatedAt", profile.updatedAt());
            m.put("profile", p);
        }
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    static StoredSession fromBytes(byte[] bytes) {
        Map<String, Object> m = Json.readObject(new String(bytes, StandardCharsets.UTF_8));
        Map<String, Object> p = Json.object(m, "profile");
        return fromAnswer(m, p.isEmpty() ? null : profile(p));
    }

    @Override
    public String toString() {
        return "StoredSession[userId=" + userId + ", sessionId=" + sessionId + ", tokens=***]";
    }
}
