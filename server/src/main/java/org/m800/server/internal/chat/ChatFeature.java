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
 * restart) is still accepted once; read-only and idempotent types are not remembered. Who blocks whom
 * comes from {@link FeatureContext#blockPolicy()}.
 */
public final class ChatFeature implements ServerFeature {

    private volatile MessageService messages;
    private volatile FileReferences fileReferences = FileReferences.NONE;

    /** Who is told the files a media message refers to (the files feature); call before {@link #install}. */
    public void fileReferences(FileReferences references) {
        this.fileReferences = references == null ? FileReferences.NONE : references;
        MessageService m = messages;
        if (m != null) {
            m.fileReferences(this.fileReferences);
        }
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public List<Migration> migrations() {
        return List.of(new Migration(1, "conversations, members, messages",
                "/org/m800/server/internal/db/chat/V1__chat.sql"),
                new Migration(2, "one index on message ids",
                        "/org/m800/server/internal/db/chat/V2__one_message_id_index.sql"));
    }

    @Override
    public void install(FeatureContext context) {
        ChatTables tables = new ChatTables(context.database());
        Conversations conversations = new Conversations(tables, 10_000);
        ChatFanOut fanOut = new ChatFanOut(context.events(), context.blockPolicy());
        ConversationService groups = new ConversationService(tables, conversations, fanOut, context.clock(),
                context.limits().groupsPerUserPerHour());
        MessageService chat = new MessageService(tables, conversations, fanOut, context.clock());
        chat.fileReferences(fileReferences);
        messages = chat;
        HandlerRegistry im = context.imHandlers();
        im.register("chat.direct", (ctx, data) -> groups.direct(ctx.userId(), data));
        im.registerIdempotent("chat.send", (ctx, data) -> chat.send(ctx.userId(), data));
        im.register("chat.edit", (ctx, data) -> chat.edit(ctx.userId(), data));
        im.register("chat.delete", (ctx, data) -> chat.delete(ctx.userId(), data));
        im.register("chat.react", (ctx, data) -> chat.react(ctx.userId(), data));
        im.registerIdempotent("chat.receipt", (ctx, data) -> chat.receipt(ctx.userId(), data));
        im.registerIdempotent("chat.typing", (ctx, data) -> chat.typing(ctx.userId(), data));
        im.registerIdempotent("chat.conversations", (ctx, data) -> groups.list(ctx.userId()));
        im.registerIdempotent("chat.history", (ctx, data) -> chat.history(ctx.userId(), data));
        im.register("group.create", (ctx, data) -> groups.createGroup(ctx.userId(), data));
        im.register("group.rename", (ctx, data) -> groups.rename(ctx.userId(), data));
        im.register("group.invite", (ctx, data) -> groups.invite(ctx.userId(), data));
        im.register("group.remove", (ctx, data) -> groups.remove(ctx.userId(), data));
        im.register("group.leave", (ctx, data) -> groups.leave(ctx.userId(), data));
        im.register("group.role", (ctx, data) -> groups.role(ctx.userId(), data));
    }
}
