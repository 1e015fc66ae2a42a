package org.m800.sdk.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.m800.sdk.core.M800Exception;

/** What one reconciliation of a module graph changed, in the order listeners should hear it. */
final class GraphChanges {

    final List<String> unavailable = new ArrayList<>();
    final List<String> ready = new ArrayList<>();
    final List<M800Exception> errors = new ArrayList<>();
    boolean becameReady;

    boolean isEmpty() {
        return unavailable.isEmpty() && ready.isEmpty() && errors.isEmpty() && !becameReady;
    }
}
