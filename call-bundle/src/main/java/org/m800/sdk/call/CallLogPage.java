package org.m800.sdk.call;

import java.util.List;

/**
 * One page of the call log, newest first.
 *
 * @param records    the records
 * @param nextCursor pass to {@link CallManager#callLog(String, int)} for the next (older) page; {@code null}
 *                   on the last page
 */
public record CallLogPage(List<CallRecord> records, String nextCursor) {
    public CallLogPage {
        records = List.copyOf(records);
    }
}
