package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;

import org.junit.Test;

public class ScriptTest {

    @Test
    public void skipsBlankAndCommentLinesAndKeepsLineNumbers() throws Exception {
        Script script = new Script(new BufferedReader(new StringReader(
                "# a comment\n\n   lb  \n\t# indented comment\nm800:create demo imServers=ws://127.0.0.1:1/v1/im\n   \n")));
        assertEquals(new Script.Line(3, "lb"), script.next().orElseThrow());
        assertEquals(new Script.Line(5, "m800:create demo imServers=ws://127.0.0.1:1/v1/im"), script.next().orElseThrow());
        assertTrue(script.next().isEmpty());
        assertTrue(script.next().isEmpty());
    }

    @Test
    public void anEmptyScriptHasNoCommand() throws Exception {
        assertTrue(new Script(new BufferedReader(new StringReader(""))).next().isEmpty());
    }
}
