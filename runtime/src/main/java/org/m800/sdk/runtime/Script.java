package org.m800.sdk.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a script of shell commands: one command per line; blank lines and lines whose first
 * non-blank character is {@code #} are skipped. Lines are read as they come, so a script on standard
 * input is run while it is being written.
 */
final class Script {

    /** A command of the script and its line number (1-based). */
    record Line(int number, String command) {
    }

    private final BufferedReader reader;
    private int lineNumber;

    Script(BufferedReader reader) {
        this.reader = reader;
    }

    /** @return the next command, or empty at the end of the script */
    Optional<Line> next() throws IOException {
        String raw;
        while ((raw = reader.readLine()) != null) {
            lineNumber++;
            String command = raw.strip();
            if (!command.isEmpty() && !command.startsWith("#")) {
                return Optional.of(new Line(lineNumber, command));
            }
        }
        return Optional.empty();
    }
}
