package org.m800.sdk.itest;

import java.util.List;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.api.Tracked;

/** A module instance of a feature defined in code that appends to a shared log when built and closed. */
final class Recorded extends Tracked {

    private final List<String> log;

    Recorded(String provider, ModuleContext context, List<String> log) {
        super(provider, context);
        this.log = log;
        log.add("build " + context.moduleName());
    }

    @Override
    public void close() {
        if (!isClosed()) {
            log.add("close " + moduleName());
        }
        super.close();
    }

    /** A definition whose instances are {@link Recorded}. */
    static ModuleDefinition definition(String name, List<String> deps, String provider, List<String> log) {
        return ModuleDefinition.of(name, deps, ctx -> new Recorded(provider, ctx, log));
    }
}
