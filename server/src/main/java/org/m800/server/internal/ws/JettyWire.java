package org.m800.server.internal.ws;

import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * An {@link Outbox}'s frames into a Jetty WebSocket session: through Jetty's core session when there is
 * one, for its batch mode (frames wait in its buffer until one marked as the last of a burst).
 */
final class JettyWire implements Outbox.Wire {
    private final Session session;
    /** Jetty's session below the API one, for batch mode; null if the API session is another kind. */
    private final CoreSession core;

    JettyWire(Session session) {
        this.session = session;
        this.core = session instanceof WebSocketSession ws ? ws.getCoreSession() : null;
    }

    @Override
    public void text(String frame, boolean more, Runnable written, Consumer<Throwable> failed) {
        if (core != null) {
            core.sendFrame(new Frame(OpCode.TEXT).setPayload(frame),
                    org.eclipse.jetty.util.Callback.from(written, failed), more);
        } else {
            session.sendText(frame, Callback.from(written, failed));
        }
    }

    @Override
    public void flush() {
        if (core != null) {
            core.flush(org.eclipse.jetty.util.Callback.NOOP);
        }
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }
}
