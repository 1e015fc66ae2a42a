package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** The command-line paths of {@link Main} that end before a framework starts. */
public class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    public void helpPrintsTheUsageAndSucceeds() {
        assertEquals(Main.EXIT_OK, main.run("--help"));
        assertTrue(text(out), text(out).startsWith("Usage: java -jar m800-runtime.jar [options]"));
        assertEquals("", text(err));
    }

    @Test
    public void aBadOptionIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, main.run("--deploy"));
        assertTrue(text(err), text(err).contains("m800-runtime: option --deploy needs a value"));
        assertTrue(text(err), text(err).contains("--help"));
    }

    @Test
    public void aMissingScriptIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, main.run("--script", "/no/such/script.gogo"));
        assertTrue(text(err), text(err).contains("/no/such/script.gogo: no such readable file"));
    }

    @Test
    public void describeNamesTheExceptionAndItsCauses() {
        assertEquals("IllegalStateException: outer; caused by IllegalArgumentException: inner",
                Main.describe(new IllegalStateException("outer", new IllegalArgumentException("inner"))));
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
