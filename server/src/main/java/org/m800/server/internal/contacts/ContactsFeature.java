package org.m800.server.internal.contacts;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.m800.server.internal.db.Migration;
import org.m800.server.internal.feature.FeatureContext;
import org.m800.server.internal.feature.ServerFeature;
import org.m800.server.internal.ws.HandlerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contacts feature of the server (docs/protocol.md section 19): {@code contact.*},
 * {@code block.*} and {@code presence.*}, their tables, the block list (plugged into
 * {@link FeatureContext#blockPolicy()}, which chat and calls ask for every recipient) and presence
 * from the IM connections. Installed after the verification feature, whose verified numbers
 * address-book matching reads.
 */
public final class ContactsFeature implements ServerFeature {
    private static final Logger LOG = LoggerFactory.getLogger(ContactsFeature.class);

    @Override
    public String name() {
        return "contacts";
    }

    @Override
    public List<Migration> migrations() {
        return List.of(new Migration(1, "contacts, block lists, presence settings and subscriptions",
                "/org/m800/server/internal/db/contacts/V1__contacts.sql"),
                new Migration(2, "presence visibility: everyone, contacts or nobody",
                        "/org/m800/server/internal/db/contacts/V2__presence_visibility.sql"));
    }

    @Override
    public void install(FeatureContext context) {
        BlockList blocks = new BlockList();
        ContactIndex contactIndex = new ContactIndex();
        PresenceService presence = new PresenceService(context.database(), context.events(), context.clock(), blocks,
                contactIndex, context.scheduler(), context.imPath());
        MatchLimiter limiter = new MatchLimiter(context.clock(), MatchLimiter.MAX_NUMBERS_PER_WINDOW);
        try {
            blocks.load(context.database());
            contactIndex.load(context.database());
            presence.load();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load block lists and presence: " + e.getMessage(), e);
        }
        ContactsService contacts = new ContactsService(context.database(), context.events(), context.clock(), blocks,
                contactIndex, presence, limiter);
        context.blockPolicy().plug(blocks);
        context.connections().addListener(presence);
        context.scheduler().scheduleWithFixedDelay(() -> {
            try {
                limiter.purge();
            } catch (RuntimeException e) {
                LOG.warn("Purging match windows failed", e);
            }
        }, 10, 10, TimeUnit.MINUTES);

        HandlerRegistry im = context.imHandlers();
        im.register("contact.add", contacts::add);
        im.register("contact.remove", contacts::remove);
        im.register("contact.alias", contacts::setAlias);
        im.registerIdempotent("contact.list", contacts::list);
        im.registerIdempotent("contact.match", contacts::match);
        im.register("block.add", contacts::block);
        im.register("block.remove", contacts::unblock);
        im.registerIdempotent("block.list", (ctx, data) -> contacts.blockList(ctx));
        im.registerIdempotent("presence.set", (ctx, data) -> presence.set(ctx, data));
        im.register("presence.subscribe", presence::subscribe);
        im.register("presence.unsubscribe", presence::unsubscribe);
        im.registerIdempotent("presence.get", presence::get);
        im.registerIdempotent("presence.subscriptions", (ctx, data) -> presence.subscriptions(ctx));
    }
}
