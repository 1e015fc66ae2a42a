package org.m800.sdk.baseline;

import static org.junit.Assert.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.Test;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;

/**
 * The exported packages of this build's bundles against the last released API (release.properties),
 * with bnd's baseline, the check the bnd-baseline-maven-plugin runs: a package whose API changed must
 * carry a version that says how (a removed or changed method: a new major version; a new method or type:
 * a new minor version), and a package the release exported must still be exported. Bundle versions are
 * not checked: the Maven version is not the release version yet (api-baseline/README.md).
 */
public class ApiBaselineTest {

    private final Path root = Path.of(System.getProperty("m800.root", "..")).toAbsolutePath().normalize();
    private final Path work = Path.of(System.getProperty("m800.work", "target/released-api"));

    @Test
    public void everyReleasedPackageKeepsItsContractOrSaysSoInItsVersion() throws Exception {
        ReleasedApi released = ReleasedApi.read(root, work);
        List<String> problems = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (String module : released.modules) {
            Path older = released.jar(module);
            Path newer = currentBundle(module);
            compare(module, newer, older, problems, report);
        }
        Files.createDirectories(work);
        Files.writeString(work.resolve("report.txt"), report);
        System.out.println("API baseline against commit " + released.commit + ":\n" + report);
        if (!problems.isEmpty()) {
            fail("the API changed without the package version saying so (released API: commit " + released.commit
                    + ", api-baseline/release.properties):\n  " + String.join("\n  ", problems)
                    + "\nFull report: " + work.resolve("report.txt"));
        }
    }

    private static void compare(String module, Path newerFile, Path olderFile, List<String> problems,
            StringBuilder report) throws Exception {
        try (Processor reporter = new Processor(); Jar newer = new Jar(newerFile.toFile());
                Jar older = new Jar(olderFile.toFile())) {
            Baseline baseline = new Baseline(reporter, new DiffPluginImpl());
            List<Info> infos = new ArrayList<>(baseline.baseline(newer, older, new Instructions(new Parameters("*",
                    reporter))));
            infos.sort(Comparator.comparing(i -> i.packageName));
            report.append(module).append(" (").append(newerFile.getFileName()).append(" against ")
                    .append(olderFile).append(")\n");
            for (Info info : infos) {
                Delta delta = info.packageDiff.getDelta();
                report.append(String.format("  %s %-40s %-10s new %-8s old %-8s suggested %s%n", info.mismatch ? "*" : " ",
                        info.packageName, delta, info.newerVersion, info.olderVersion, info.suggestedVersion));
                if (info.mismatch) {
                    report.append(String.format("%#2S%n", info.packageDiff));
                    problems.add(module + ": package " + info.packageName + " " + delta + " at " + info.newerVersion
                            + " (released " + info.olderVersion + "): needs " + info.suggestedVersion
                            + (info.reason == null || info.reason.contains("\n") ? "" : " (" + info.reason + ")"));
                }
                if (delta == Delta.REMOVED) {
                    problems.add(module + ": package " + info.packageName + " (released " + info.olderVersion
                            + ") is no longer exported: deprecate it in a minor version, remove it in a major one");
                }
            }
            reporter.getErrors().forEach(e -> problems.add(module + ": " + e));
        }
    }

    /**
     * @return this build's bundle of {@code module}, as the reactor put it on the test class path: its jar
     *         under {@code mvn verify} / {@code package}, its classes folder (with the bnd manifest) under
     *         {@code mvn test}
     */
    private Path currentBundle(String module) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path target = root.resolve(module).resolve("target");
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (p.getParent() != null && p.getParent().equals(target)
                    && (p.getFileName().toString().equals("classes") || p.getFileName().toString().equals(module + "-"
                            + System.getProperty("m800.version") + ".jar"))) {
                if (Files.isDirectory(p) && !Files.exists(p.resolve("META-INF/MANIFEST.MF"))) {
                    fail(p + " has no bnd manifest: build " + module + " (mvn package) before the API baseline check");
                }
                return p;
            }
        }
        fail(module + " is not on the test class path (" + target + "); api-baseline/pom.xml must depend on every"
                + " module that release.properties names");
        return null;
    }
}
