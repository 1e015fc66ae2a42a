package org.m800.server.internal.wire;

import java.time.Duration;
import java.util.regex.Pattern;

/** The limits of docs/protocol.md section 10, in one place. */
public final class Limits {
    /** @return the protocol versions this server speaks, ascending (a copy) */
    public static int[] supportedVersions() {
        return SUPPORTED_VERSIONS.clone();
    }

    private static final int[] SUPPORTED_VERSIONS = {1, 2};
    public static final int MAX_FRAME_BYTES = 65_536;
    public static final int MAX_HTTP_BODY_BYTES = 65_536;
    /**
     * How much of a too large HTTP body is read and thrown away before the 413 answer: closing a
     * connection with unread bytes resets it, and the client loses the answer. Beyond this the
     * connection is closed anyway.
     */
    public static final int MAX_DISCARDED_HTTP_BODY_BYTES = 1 << 20;
    public static final int MAX_TYPE_CHARS = 64;
    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    public static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration NONCE_MEMORY = CLOCK_SKEW.multipliedBy(2);
    public static final Duration HELLO_DEADLINE = Duration.ofSeconds(10);
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    public static final int MAX_QUEUED_FRAMES = 10_000;
    public static final int MAX_PROTOCOL_ERRORS = 20;
    public static final Duration ANSWER_MEMORY = Duration.ofHours(24);
    public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
    public static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(30);
    /** Log-in failures for one account from one address before the growing delays start. */
    public static final int LOGIN_FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
    /** Log-in failures for one account from any address before its (short) growing delays start. */
    public static final int LOGIN_FREE_FAILURES_PER_ACCOUNT = 20;
    /** Log-in failures from one address over every account before its growing delays start. */
    public static final int LOGIN_FREE_FAILURES_PER_ADDRESS = 50;
    public static final Duration LOGIN_FAILURE_WINDOW = Duration.ofMinutes(15);

    private Limits() {
    }
}
