package org.m800.sdk.baseline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The released API cannot be had: each case fails loudly, saying what to do (never a silent skip). */
public class ReleasedApiTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aShallowCloneWithoutTheReleasedCommitIsNamedAsSuch() throws Exception {
        Path origin = tmp.newFolder("origin").toPath();
        git(origin, "init", "-q");
        Files.writeString(origin.resolve("a.txt"), "released\n");
        git(origin, "add", "a.txt");
        git(origin, "commit", "-q", "-m", "released");
        String released = git(origin, "rev-parse", "HEAD").strip();
        writeRelease(origin, released);
        git(origin, "add", "api-baseline");
        git(origin, "commit", "-q", "-m", "later");

        Path shallow = tmp.getRoot().toPath().resolve("shallow");
        git(tmp.getRoot().toPath(), "clone", "-q", "--depth", "1", origin.toUri().toString(), shallow.toString());
        String message = failure(shallow);
        assertTrue(message, message.contains("does not have the released API commit " + released));
        assertTrue(message, message.contains("shallow clone"));
        assertTrue(message, message.contains("git fetch --unshallow"));
    }

    @Test
    public void aCloneWithoutTheCommitThatIsNotShallowSaysToFetchOrCorrectIt() throws Exception {
        Path repo = tmp.newFolder("repo").toPath();
        git(repo, "init", "-q");
        writeRelease(repo, "0123456789abcdef0123456789abcdef01234567");
        git(repo, "add", "api-baseline");
        git(repo, "commit", "-q", "-m", "one");
        String message = failure(repo);
        assertTrue(message, message.contains("Fetch it, or correct release.properties"));
    }

    @Test
    public void aFolderThatIsNotAGitCloneAsksForTheReleasedJars() throws Exception {
        Path plain = tmp.newFolder("plain").toPath();
        writeRelease(plain, "0123456789abcdef0123456789abcdef01234567");
        String message = failure(plain);
        assertTrue(message, message.contains("is not a git clone"));
        assertTrue(message, message.contains("-Dm800.api.released="));
    }

    @Test
    public void releasePropertiesMustNameAFullCommitAndModules() throws Exception {
        Path dir = tmp.newFolder("bad").toPath();
        Files.createDirectories(dir.resolve("api-baseline"));
        Files.writeString(dir.resolve("api-baseline/release.properties"), "commit=db72db1\nmodules=core-bundle\n");
        try {
            ReleasedApi.read(dir, dir.resolve("work"));
            fail("a short hash must be refused");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("full 40-digit hash"));
        }
        writeRelease(dir, "0123456789abcdef0123456789abcdef01234567");
        assertEquals(List.of("core-bundle", "chat-bundle"), ReleasedApi.read(dir, dir.resolve("work")).modules);
    }

    private String failure(Path root) throws Exception {
        ReleasedApi api = ReleasedApi.read(root, tmp.getRoot().toPath().resolve("work-" + root.getFileName()));
        try {
            api.jar("core-bundle");
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        fail("the released jars cannot be had from " + root + ", yet no failure");
        return null;
    }

    private static void writeRelease(Path root, String commit) throws IOException {
        Files.createDirectories(root.resolve("api-baseline"));
        Files.writeString(root.resolve("api-baseline/release.properties"),
                "commit=" + commit + "\nmodules=core-bundle chat-bundle\n");
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=test", "-c",
                "user.email=test@example.invalid", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue("git " + String.join(" ", args) + " timed out", p.waitFor(60, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals("git " + String.join(" ", args) + ": " + text, 0, p.exitValue());
        return text;
    }
}
