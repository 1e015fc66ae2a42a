package org.m800.server.internal.limits;

/**
 * The rate limits against abuse (docs/protocol.md section 10, server README "Abuse limits"), each a
 * token bucket: a burst allowed at once, then an average rate.
 *
 * @param requestsPerSecond WebSocket requests of one user, over all its connections and endpoints
 *        (every request type; heartbeats and acks are not requests), per second on average
 * @param requestBurst how many of them may come at once
 * @param messagesPerSecond {@code chat.send} requests of one user per second on average (counted in
 *        addition to the request rate)
 * @param messageBurst how many of them may come at once
 * @param signUpsPerAddressPerHour sign-up attempts from one source IP address per hour (also the
 *        burst)
 * @param signUpsPerApplicationPerHour sign-up attempts of one application per hour, every address
 *        together (also the burst)
 */
public record RateLimits(double requestsPerSecond, int requestBurst, double messagesPerSecond, int messageBurst,
        int signUpsPerAddressPerHour, int signUpsPerApplicationPerHour) {
    /**
     * The defaults: far above what a person's devices send (a busy chat is a few messages a second),
     * low enough that one account cannot flood others or the server (issue 17 item 9). The project's
     * own tests send up to a few thousand messages in a burst and are only slowed (the SDK keeps a
     * refused message in its outbox and sends it again); the benchmarks configure their own limits.
     */
    public static final RateLimits DEFAULTS = new RateLimits(200, 2_000, 100, 1_000, 100, 10_000);

    public RateLimits {
        rate("requestsPerSecond", requestsPerSecond);
        atLeastOne("requestBurst", requestBurst);
        rate("messagesPerSecond", messagesPerSecond);
        atLeastOne("messageBurst", messageBurst);
        atLeastOne("signUpsPerAddressPerHour", signUpsPerAddressPerHour);
        atLeastOne("signUpsPerApplicationPerHour", signUpsPerApplicationPerHour);
    }

    public RateLimits withRequestRate(double perSecond, int burst) {
        return new RateLimits(perSecond, burst, messagesPerSecond, messageBurst, signUpsPerAddressPerHour,
                signUpsPerApplicationPerHour);
    }

    public RateLimits withMessageRate(double perSecond, int burst) {
        return new RateLimits(requestsPerSecond, requestBurst, perSecond, burst, signUpsPerAddressPerHour,
                signUpsPerApplicationPerHour);
    }

    public RateLimits withSignUpsPerHour(int perAddress, int perApplication) {
        return new RateLimits(requestsPerSecond, requestBurst, messagesPerSecond, messageBurst, perAddress,
                perApplication);
    }

    private static void rate(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, was " + value);
        }
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
