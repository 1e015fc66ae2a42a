package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class StartOrderTest {

    @Test
    public void startsSpiFlyFirstTheSdkAfterTheInfrastructureAndTheConsoleLast() {
        List<String> names = new ArrayList<>(List.of("org.apache.felix.gogo.shell", "org.apache.felix.fileinstall",
                "org.m800.sdk.chat", "org.m800.sdk.core", "org.apache.felix.scr", "slf4j.api",
                "org.apache.felix.gogo.command", "org.apache.felix.gogo.runtime", "org.apache.felix.configadmin",
                "org.apache.aries.spifly.dynamic.bundle", "org.objectweb.asm"));
        names.sort(StartOrder.comparator(n -> n, n -> "bundles/" + n + ".jar"));
        assertEquals(List.of("org.apache.aries.spifly.dynamic.bundle", "org.objectweb.asm", "slf4j.api",
                "org.apache.felix.configadmin", "org.apache.felix.scr", "org.apache.felix.gogo.runtime",
                "org.apache.felix.gogo.command", "org.m800.sdk.chat", "org.m800.sdk.core",
                "org.apache.felix.fileinstall", "org.apache.felix.gogo.shell"), names);
    }

    @Test
    public void unknownBundlesAreLibraries() {
        assertEquals(StartOrder.rank("org.objectweb.asm"), StartOrder.rank("com.fasterxml.jackson.core.jackson-core"));
        assertEquals(StartOrder.rank("org.objectweb.asm"), StartOrder.rank(null));
    }
}
