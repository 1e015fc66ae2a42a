package org.m800.sdk.core;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A misbehaving IM server for the SDK's bad-input tests: it accepts every hello, then sends what the
 * test scripts, and can fall silent. Only the reference server is used where the real behaviour counts.
 */
final class FakeImServer implements AutoCloseable {

    final AtomicInteger connections = new AtomicInteger();
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile List<String> afterHello = List.of();
    volatile boolean silent;
    private final Server jetty = new Server();
    private final ServerConnector connector = new ServerConnector(jetty);

    FakeImServer() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(jetty, context,
                container -> container.addMapping("/v1/im", (req, resp, cb) -> new Endpoint())));
        jetty.setHandler(context);
        jetty.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/v1/im");
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    /** Public because Jetty calls it through method handles. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            connections.incrementAndGet();
        }

        @Override
        public void onWebSocketText(String text) {
            received.add(text);
            if (silent) {
                return;
            }
            if (text.contains("\"type\":\"hello\"")) {
                String id = text.replaceAll(".*\"id\":\"(h-[^\"]+)\".*", "$1");
                session.sendText("{\"v\":1,\"type\":\"response\",\"id\":\"" + id
                        + "\",\"data\":{\"version\":1,\"userId\":\"u-fake\",\"lastSeq\":0}}", Callback.NOOP);
                for (String frame : afterHello) {
                    session.sendText(frame, Callback.NOOP);
                }
            } else if (text.contains("\"type\":\"ping\"")) {
                String id = text.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                session.sendText("{\"v\":1,\"type\":\"pong\",\"id\":\"" + id + "\"}", Callback.NOOP);
            }
        }
    }
}
