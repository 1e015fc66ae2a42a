package org.m800.server.internal.chat;

import java.util.List;
import org.m800.server.internal.db.Migration;
import org.m800.server.internal.feature.FeatureContext;
import org.m800.server.internal.feature.ServerFeature;
import org.m800.server.internal.ws.HandlerRegistry;

/**
 * The chat feature of the server: the {@code chat.*} and {@code group.*} request types of
 * docs/protocol.md section 17 and their tables. {@code chat.send} is de-duplicated by (sender,
 * messageId) rather than by request id, so a message re-sent with a new request id (after a client
 * restart) is still accepted once; read-only and idempotent types are not remembered.
 */
public final class ChatFeature implements ServerFeature {

    private volatile BlockPolicy blockPolicy;
    private volatile ChatService service;
    private volatile FileReferences fileReferences = FileReferences.NONE;

    /** A chat feature in which nobody blocks anybody until {@link #blockPolicy(BlockPolicy)} is called. */
    public ChatFeature() {
        this(BlockPolicy.NONE);
    }

    public ChatFeature(BlockPolicy blockPolicy) {
        this.blockPolicy = blockPolicy == null ? BlockPolicy.NONE : blockPolicy;
    }

    /** Replaces the block check (the contacts feature plugs its block list in here); any time, any thread. */
    public void blockPolicy(BlockPolicy policy) {
        this.blockPolicy = policy == null ? BlockPolicy.NONE : policy;
        ChatService s = service;
        if (s != null) {
            s.blockPolicy(this.blockPolicy);
        }
    }

    /** Who is told the files a media message refers to (the files feature); call before {@link #install}. */
    public void fileReferences(FileReferences references) {
        this.fileReferences = references == null ? FileReferences.NONE : references;
    }

    /** @return the block check in force (the call feature refuses calls with it too) */
    public BlockPolicy blockPolicy() {
        return blockPolicy;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public List<Migration> migrations() {
        return List.of(new Migration(1, "conversations, members, messages",
                "/org/m800/server/internal/db/chat/V1__chat.sql"));
    }

    @Override
    public void install(FeatureContext context) {
        ChatService chat = new ChatService(context.database(), context.events(), context.clock(), blockPolicy,
                context.limits().groupsPerUserPerHour());
        service = chat;
        chat.fileReferences(fileReferences);
        HandlerRegistry im = context.imHandlers();
        im.register("chat.direct", (ctx, data) -> chat.direct(ctx.userId(), data));
        im.register("chat.send", (ctx, data) -> chat.send(ctx.userId(), data), false);
        im.register("chat.edit", (ctx, data) -> chat.edit(ctx.userId(), data));
        im.register("chat.delete", (ctx, data) -> chat.delete(ctx.userId(), data));
        im.register("chat.react", (ctx, data) -> chat.react(ctx.userId(), data));
        im.register("chat.receipt", (ctx, data) -> chat.receipt(ctx.userId(), data), false);
        im.register("chat.typing", (ctx, data) -> chat.typing(ctx.userId(), data), false);
        im.register("chat.conversations", (ctx, data) -> chat.list(ctx.userId()), false);
        im.register("chat.history", (ctx, data) -> chat.history(ctx.userId(), data), false);
        im.register("group.create", (ctx, data) -> chat.createGroup(ctx.userId(), data));
        im.register("group.rename", (ctx, data) -> chat.rename(ctx.userId(), data));
        im.register("group.invite", (ctx, data) -> chat.invite(ctx.userId(), data));
        im.register("group.remove", (ctx, data) -> chat.remove(ctx.userId(), data));
        im.register("group.leave", (ctx, data) -> chat.leave(ctx.userId(), data));
        im.register("group.role", (ctx, data) -> chat.role(ctx.userId(), data));
    }
}
