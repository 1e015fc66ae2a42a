package org.m800.server.internal.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import org.m800.server.CallSettings;
import org.m800.server.internal.chat.BlockPolicy;
import org.m800.server.internal.db.Migration;
import org.m800.server.internal.feature.FeatureContext;
import org.m800.server.internal.feature.ServerFeature;
import org.m800.server.internal.ws.HandlerRegistry;

/**
 * The call feature of the server: the {@code call.*} request types of docs/protocol.md section 13, on
 * the call endpoint and, for clients without a call connection, on the IM endpoint; the media relay and
 * the call records. The state-changing types are de-duplicated by request id; {@code call.active} and
 * {@code call.log} are read-only.
 */
public final class CallFeature implements ServerFeature {
    private final CallSettings settings;
    private final java.util.function.Supplier<BlockPolicy> blocks;
    private volatile MediaRelay relay;
    private volatile CallService service;

    /**
     * @param blocks the block check in force (the contacts feature's block list, through chat), asked at
     *        each invite; null for none
     */
    public CallFeature(CallSettings settings, java.util.function.Supplier<BlockPolicy> blocks) {
        this.settings = settings == null ? CallSettings.DEFAULTS : settings;
        this.blocks = blocks == null ? () -> BlockPolicy.NONE : blocks;
    }

    @Override
    public String name() {
        return "call";
    }

    @Override
    public List<Migration> migrations() {
        return List.of(new Migration(1, "call records", "/org/m800/server/internal/db/call/V1__calls.sql"),
                new Migration(2, "calls hidden from a callee who blocked the caller",
                        "/org/m800/server/internal/db/call/V2__hidden_calls.sql"));
    }

    @Override
    public void install(FeatureContext context) {
        try {
            relay = new MediaRelay(settings.relayHost(), settings.relayPortMin(), settings.relayPortMax());
        } catch (IOException e) {
            throw new UncheckedIOException("the media relay cannot start on " + settings.relayHost(), e);
        }
        CallService calls = new CallService(context.database(), context.events(), context.clock(), settings, relay,
                context.scheduler(), blocks);
        try {
            calls.start();
        } catch (SQLException e) {
            relay.close();
            throw new IllegalStateException("the call records cannot be read", e);
        }
        service = calls;
        for (HandlerRegistry r : List.of(context.callHandlers(), context.imHandlers())) {
            r.register("call.invite", calls::invite);
            r.register("call.ringing", calls::ringing);
            r.register("call.answer", calls::answer);
            r.register("call.reject", calls::reject);
            r.register("call.cancel", calls::cancel);
            r.register("call.hangup", calls::hangup);
            r.register("call.reoffer", calls::reoffer);
            r.register("call.reanswer", calls::reanswer);
            r.registerIdempotent("call.active", (ctx, data) -> calls.active(ctx));
            r.registerIdempotent("call.log", calls::log);
        }
    }

    /** @return the service, for the server's tests; null before {@link #install} */
    CallService service() {
        return service;
    }

    @Override
    public void close() {
        CallService s = service;
        if (s != null) {
            s.close();
        }
        MediaRelay r = relay;
        if (r != null) {
            r.close();
        }
    }
}
