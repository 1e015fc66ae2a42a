package org.m800.sdk.baseline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The bundles of the last released API (release.properties), built from their commit: {@code git archive}
 * of that commit into a folder of this module's {@code target/}, then {@code mvn package} of the released
 * modules there (tests not run). Built once per commit and reused. Never touches the local repository
 * (nothing is installed) nor the work tree.
 *
 * <p>Everything that keeps it from the released jars fails with a message that says what to do: a clone
 * without that commit (a shallow one), a folder that is not a git clone (then the jars can be given with
 * {@code -Dm800.api.released=<folder>}), a build of the old commit that fails.
 */
final class ReleasedApi {

    /** How long the build of the released modules may take: less than surefire's 15-minute fork limit, so this names it. */
    private static final long BUILD_MINUTES = 12;

    final String commit;
    final List<String> modules;
    private final Path root;
    private final Path work;

    private ReleasedApi(Path root, Path work, String commit, List<String> modules) {
        this.root = root;
        this.work = work;
        this.commit = commit;
        this.modules = modules;
    }

    /** Reads {@code api-baseline/release.properties} of the repository at {@code root}. */
    static ReleasedApi read(Path root, Path work) throws IOException {
        Path file = root.resolve("api-baseline/release.properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        String commit = p.getProperty("commit", "").strip();
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new IllegalStateException(file + ": commit must be a full 40-digit hash, is '" + commit + "'");
        }
        List<String> modules = Arrays.stream(p.getProperty("modules", "").strip().split("\\s+"))
                .filter(m -> !m.isEmpty()).toList();
        if (modules.isEmpty()) {
            throw new IllegalStateException(file + ": modules names no module");
        }
        return new ReleasedApi(root, work, commit, modules);
    }

    /**
     * @return the released jar of {@code module}, built now if this commit was not built before
     * @throws IllegalStateException saying why the released jars cannot be had and what to do
     */
    Path jar(String module) throws IOException, InterruptedException {
        String given = System.getProperty("m800.api.released", "");
        Path dir = given.isBlank() ? build() : Path.of(given);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> isBundleJar(f, module)).toList();
            if (found.size() != 1) {
                throw new IllegalStateException("expected one released jar of " + module + " in " + dir + ", found "
                        + found);
            }
            return found.get(0);
        }
    }

    private static boolean isBundleJar(Path f, String module) {
        String name = f.getFileName().toString();
        return name.startsWith(module + "-") && name.endsWith(".jar") && !name.endsWith("-tests.jar")
                && !name.endsWith("-sources.jar");
    }

    /** @return the folder holding the released modules' jars, built once per commit */
    private Path build() throws IOException, InterruptedException {
        Path out = work.resolve(commit.substring(0, 12));
        Path jars = out.resolve("jars");
        Path done = out.resolve("built");
        if (Files.exists(done)) {
            return jars;
        }
        requireCommit();
        Path src = out.resolve("src");
        deleteRecursively(out);
        Files.createDirectories(src);
        Files.createDirectories(jars);
        Path tar = out.resolve("source.tar");
        run(root, out.resolve("git-archive.log"), 5, "git", "archive", "--format=tar", "-o", tar.toString(), commit);
        run(src, out.resolve("tar.log"), 5, "tar", "-xf", tar.toString());
        Files.delete(tar);
        List<String> mvn = new ArrayList<>(List.of(mavenExecutable(), "-B", "-ntp", "-q", "package", "-pl",
                String.join(",", modules), "-am", "-DskipTests", "-Dspotbugs.skip=true", "-Dbnd.baseline.skip=true",
                "-Dmaven.install.skip=true"));
        if (System.getProperty("m800.offline", "").endsWith("true")) {
            mvn.add("-o");
        }
        run(src, out.resolve("build.log"), BUILD_MINUTES, mvn.toArray(String[]::new));
        for (String module : modules) {
            Path target = src.resolve(module).resolve("target");
            try (Stream<Path> files = Files.list(target)) {
                for (Path f : files.filter(f -> isBundleJar(f, module)).toList()) {
                    Files.copy(f, jars.resolve(f.getFileName()));
                }
            }
        }
        deleteRecursively(src);
        Files.writeString(done, commit + "\n");
        return jars;
    }

    /** Fails, saying what to do, unless the clone has the released commit. */
    private void requireCommit() throws IOException, InterruptedException {
        Path log = work.resolve("git-check.log");
        Files.createDirectories(work);
        if (exec(root, log, 1, "git", "rev-parse", "--git-dir") != 0) {
            throw new IllegalStateException(root + " is not a git clone, so the released API (commit " + commit
                    + ") cannot be built from it. Give the released jars with -Dm800.api.released=<folder> "
                    + "(api-baseline/README.md).");
        }
        if (exec(root, log, 1, "git", "cat-file", "-e", commit + "^{commit}") != 0) {
            exec(root, log, 1, "git", "rev-parse", "--is-shallow-repository");
            boolean shallow = Files.readString(log, StandardCharsets.UTF_8).strip().endsWith("true");
            throw new IllegalStateException("this clone does not have the released API commit " + commit
                    + " (api-baseline/release.properties)" + (shallow
                            ? ": it is a shallow clone. Fetch the history (git fetch --unshallow) or clone without --depth."
                            : ". Fetch it, or correct release.properties."));
        }
    }

    private static String mavenExecutable() {
        String home = System.getProperty("maven.home", "");
        if (!home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static void run(Path dir, Path log, long minutes, String... command) throws IOException, InterruptedException {
        int exit = exec(dir, log, minutes, command);
        if (exit != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + ") in " + dir
                    + "; its output is in " + log + ", ending:\n" + tail);
        }
    }

    /** @return the exit code; the output (both streams) goes to {@code log} */
    private static int exec(Path dir, Path log, long minutes, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + minutes
                    + " minutes; its output is in " + log);
        }
        return p.exitValue();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
