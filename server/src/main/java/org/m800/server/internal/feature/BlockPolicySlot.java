package org.m800.server.internal.feature;

import java.sql.SQLException;
import org.m800.server.internal.chat.BlockPolicy;

/**
 * The server's one block check, shared by the features through {@link FeatureContext#blockPolicy()}:
 * the feature that keeps block lists (contacts) plugs its policy in, the features that deliver (chat,
 * calls) ask the slot, so they need not know each other. Blocks nobody until a policy is plugged in.
 * Thread-safe.
 */
public final class BlockPolicySlot implements BlockPolicy {
    private volatile BlockPolicy policy = BlockPolicy.NONE;

    /** Plugs in the block check; null unplugs it (nobody blocks anybody). Any time, any thread. */
    public void plug(BlockPolicy blocks) {
        this.policy = blocks == null ? BlockPolicy.NONE : blocks;
    }

    @Override
    public boolean blocks(String recipientUserId, String senderUserId) throws SQLException {
        return policy.blocks(recipientUserId, senderUserId);
    }
}
