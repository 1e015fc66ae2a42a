package org.m800.server.internal.verification;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.m800.server.internal.wire.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development provider: sends nothing, records each delivery (number, method, code, time) in a
 * bounded in-memory outbox that the loopback-only admin route {@code /v1/verification/outbox} shows,
 * so a developer sees the code. Its records (and its log lines) are the only place codes appear in
 * clear. Thread-safe.
 */
final class OutboxProvider implements DeliveryProvider {
    static final int CAPACITY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(OutboxProvider.class);

    private final Deque<Delivery> outbox = new ArrayDeque<>();

    @Override
    public Result deliver(Delivery d) {
        synchronized (outbox) {
            outbox.addFirst(d);
            if (outbox.size() > CAPACITY) {
                outbox.removeLast();
            }
        }
        LOG.info("Development outbox: {} to {} code {}{}", d.method(), d.phoneNumber(), d.code(),
                d.callerNumber() == null ? "" : " (caller " + d.callerNumber() + ")");
        return Result.DELIVERED;
    }

    /** @return the newest deliveries of the application first, optionally only to one number */
    ArrayNode list(String applicationKey, String phoneNumber, int limit) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        synchronized (outbox) {
            Iterator<Delivery> it = outbox.iterator();
            while (it.hasNext() && out.size() < limit) {
                Delivery d = it.next();
                if (d.applicationKey().equals(applicationKey)
                        && (phoneNumber == null || phoneNumber.equals(d.phoneNumber()))) {
                    var o = out.addObject().put("sessionId", d.sessionId()).put("phoneNumber", d.phoneNumber())
                            .put("method", d.method().name()).put("code", d.code()).put("locale", d.locale())
                            .put("message", d.message()).put("at", d.at());
                    if (d.callerNumber() != null) {
                        o.put("callerNumber", d.callerNumber());
                    }
                }
            }
        }
        return out;
    }
}
