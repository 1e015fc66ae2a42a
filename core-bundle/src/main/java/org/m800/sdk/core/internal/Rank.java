package org.m800.sdk.core.internal;

/**
 * How strongly a provider claims its modules. Compared by tier, then ranking, then tie-break; the
 * greatest wins.
 *
 * @param tier {@link #SERVICE}, {@link #CODE_FEATURE} or {@link #CODE_OVERRIDE}
 * @param ranking {@code service.ranking} for services, 0 in code
 * @param tieBreak higher wins on equal ranking: minus the service id (older service wins), or the
 *        sequence number of a feature added in code (later wins)
 */
record Rank(int tier, int ranking, long tieBreak) implements Comparable<Rank> {

    static final int SERVICE = 0;
    static final int CODE_FEATURE = 1;
    static final int CODE_OVERRIDE = 2;

    static Rank service(int ranking, long serviceId) {
        return new Rank(SERVICE, ranking, -serviceId);
    }

    static Rank code(int tier, long sequence) {
        return new Rank(tier, 0, sequence);
    }

    @Override
    public int compareTo(Rank o) {
        int c = Integer.compare(tier, o.tier);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(ranking, o.ranking);
        return c != 0 ? c : Long.compare(tieBreak, o.tieBreak);
    }
}
