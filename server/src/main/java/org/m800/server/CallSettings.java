package org.m800.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server runs calls (docs/protocol.md section 13): the ring and media timeouts, what a callee
 * already in a call gets, and where the media relay listens. Immutable; {@link #DEFAULTS} are the
 * documented defaults.
 *
 * @param ringTimeout a call not answered within this time ends with {@code NO_ANSWER} (default 45 s)
 * @param mediaTimeout an answered call whose relay receives nothing on a leg for this long ends with
 *        {@code MEDIA_TIMEOUT} on both sides (default 20 s)
 * @param busyWhenInCall {@code true}: a callee already in an answered call is busy (the new call ends with
 *        {@code BUSY}); {@code false} (default): the new call rings as waiting
 * @param relayHost the address the relay binds and writes into SDP (default {@code 127.0.0.1}); on a real
 *        network the server's public address
 * @param relayPortMin the first UDP port of the relay's range (default 40000)
 * @param relayPortMax the last UDP port of the relay's range (default 40999); two ports per call
 */
public record CallSettings(Duration ringTimeout, Duration mediaTimeout, boolean busyWhenInCall, String relayHost,
        int relayPortMin, int relayPortMax) {

    /** The documented defaults. */
    public static final CallSettings DEFAULTS = new CallSettings(Duration.ofSeconds(45), Duration.ofSeconds(20), false,
            "127.0.0.1", 40_000, 40_999);

    /**
     * @throws IllegalArgumentException if a timeout is not positive or the port range is not within 1..65535
     *         with at least two ports
     */
    public CallSettings {
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        Objects.requireNonNull(mediaTimeout, "mediaTimeout");
        Objects.requireNonNull(relayHost, "relayHost");
        if (ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("ringTimeout must be positive, was " + ringTimeout);
        }
        if (mediaTimeout.isNegative() || mediaTimeout.isZero()) {
            throw new IllegalArgumentException("mediaTimeout must be positive, was " + mediaTimeout);
        }
        if (relayPortMin < 1 || relayPortMax > 65_535 || relayPortMax <= relayPortMin) {
            throw new IllegalArgumentException("the relay port range " + relayPortMin + ".." + relayPortMax
                    + " must lie within 1..65535 and hold at least two ports");
        }
    }

    /** @return these settings with another ring timeout */
    public CallSettings withRingTimeout(Duration value) {
        return new CallSettings(value, mediaTimeout, busyWhenInCall, relayHost, relayPortMin, relayPortMax);
    }

    /** @return these settings with another media timeout */
    public CallSettings withMediaTimeout(Duration value) {
        return new CallSettings(ringTimeout, value, busyWhenInCall, relayHost, relayPortMin, relayPortMax);
    }

    /** @return these settings with another busy policy */
    public CallSettings withBusyWhenInCall(boolean value) {
        return new CallSettings(ringTimeout, mediaTimeout, value, relayHost, relayPortMin, relayPortMax);
    }

    /** @return these settings with another relay address and port range */
    public CallSettings withRelay(String host, int portMin, int portMax) {
        return new CallSettings(ringTimeout, mediaTimeout, busyWhenInCall, host, portMin, portMax);
    }
}
