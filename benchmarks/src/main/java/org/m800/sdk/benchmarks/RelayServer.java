package org.m800.sdk.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The relay of W7b, run in a child JVM of its own as the reference server is for W1: a bare Jetty 12
 * WebSocket server that forwards every text message of a connection, unchanged and unparsed, to that
 * connection's peer. A connection names itself and its peer in the query ({@code /relay?me=a3&peer=b3});
 * once both ends of a pair are open the relay tells both with the text {@code paired}. No JSON, no
 * storage, no threads of its own: what is left is the cost of the frames.
 *
 * <p>Prints {@code RELAY READY <port>} when it listens; runs until the benchmark terminates it.
 *
 * <pre>RelayServer</pre>
 */
public final class RelayServer {

    /** The text sent to both ends of a pair once both are open. */
    static final String PAIRED = "paired";

    private final Map<String, Session> open = new ConcurrentHashMap<>();

    private RelayServer() {
    }

    public static void main(String[] args) throws Exception {
        RelayServer relay = new RelayServer();
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("relay");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> container.addMapping("/relay",
                (rq, rs, cb) -> relay.endpoint(Request.extractQueryParameters(rq)))));
        server.setHandler(context);
        server.start();
        System.out.println("RELAY READY " + connector.getLocalPort());
        System.out.flush();
        server.join(); // until the benchmark terminates this process
    }

    private Endpoint endpoint(Fields query) {
        String me = query.getValue("me");
        String peer = query.getValue("peer");
        if (me == null || peer == null) {
            return null; // no endpoint: the upgrade is refused
        }
        return new Endpoint(me, peer);
    }

    /** One connection: forwards what it reads to its peer's session. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final String me;
        private final String peerName;
        private volatile Session peer;

        Endpoint(String me, String peerName) {
            this.me = me;
            this.peerName = peerName;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            open.put(me, session);
            Session other = open.get(peerName);
            if (other != null) {
                // both ends are open: whichever opened second tells both (each end reads only after this)
                session.sendText(PAIRED, Callback.NOOP);
                other.sendText(PAIRED, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketText(String text) {
            Session p = peer;
            if (p == null) {
                p = open.get(peerName);
                peer = p;
            }
            if (p != null) {
                p.sendText(text, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int status, String reason, Callback callback) {
            open.remove(me);
            callback.succeed();
        }
    }
}
