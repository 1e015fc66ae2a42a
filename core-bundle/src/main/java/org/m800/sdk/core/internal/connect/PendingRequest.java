package org.m800.sdk.core.internal.connect;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A request that has no answer yet: its frame is kept so it can be sent again after a reconnect. */
final class PendingRequest {

    final String id;
    final String type;
    final String frame;
    final CompletableFuture<Map<String, Object>> future = new CompletableFuture<>();
    ScheduledFuture<?> timeout;
    /** The connection generation it was last sent on, 0 if never sent. */
    long sentOn;

    PendingRequest(String id, String type, String frame) {
        this.id = id;
        this.type = type;
        this.frame = frame;
    }
}
