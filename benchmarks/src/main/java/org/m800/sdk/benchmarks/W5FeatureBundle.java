package org.m800.sdk.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.m800.sdk.benchmarks.feature.BenchFeature;

/**
 * W5: a feature bundle installed into a running framework until the client's FEATURE_READY, and
 * uninstalled until FEATURE_UNAVAILABLE. The framework is the real runtime (embedded Felix with SCR
 * and the SDK bundles), driven by a shell script: {@code m800:add} installs and starts the bundle and
 * returns when the feature is ready; {@code m800:remove} uninstalls it and {@code m800:unavailable}
 * returns when FEATURE_UNAVAILABLE has fired. The times are the shell's own per-command timings
 * ({@code # ok in N ms}, millisecond resolution), measured inside the framework's JVM.
 */
final class W5FeatureBundle implements Workload {

    static final int WARMUP = 5;
    static final int RUNS = 20;
    private static final Pattern OK = Pattern.compile("^# ok in (\\d+) ms");

    @Override
    public String id() {
        return "W5";
    }

    @Override
    public String title() {
        return "feature bundle install until FEATURE_READY, uninstall until FEATURE_UNAVAILABLE";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        Path runtime = env.options().runtimeJar();
        if (runtime == null) {
            return List.of(Result.skip("W5.install", "install until FEATURE_READY", "p50<=50 ms",
                    "runtime/target/m800-runtime.jar not found: build it (see README) or pass --runtime-jar"));
        }
        Path home = env.scratch("w5");
        Path bundle = writeBundle(home.resolve("bench-feature.jar"));
        String location = bundle.toUri().toString();
        List<String> script = new ArrayList<>();
        script.add(RuntimeScript.createLine("w5", home.resolve("client")));
        script.add("m800:await w5 core 30");
        for (int i = 0; i < WARMUP + RUNS; i++) {
            script.add("m800:add w5 " + location);
            script.add("m800:remove w5 " + BenchFeature.NAME);
            script.add("m800:unavailable w5 " + BenchFeature.NAME + " 30");
        }
        List<ChildProcess.Line> lines;
        try (ChildProcess p = RuntimeScript.start(runtime, home.resolve("home"), script)) {
            int status = p.awaitExit(300_000);
            lines = p.lines();
            CorrectnessException.check(status == 0, "W5: runtime script exited " + status + "\n" + p.output());
        }
        List<String> commands = new ArrayList<>();
        List<Integer> times = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        String lastCommand = null;
        String lastAnswer = null;
        for (ChildProcess.Line l : lines) {
            String t = l.text();
            if (t.startsWith("g! ")) {
                lastCommand = t.substring(3);
                lastAnswer = null;
            } else if (lastCommand != null) {
                Matcher m = OK.matcher(t);
                if (m.find()) {
                    commands.add(lastCommand);
                    times.add(Integer.parseInt(m.group(1)));
                    answers.add(lastAnswer);
                    lastCommand = null;
                } else {
                    // the answer, possibly mixed with log lines of the runtime (standard error is merged)
                    lastAnswer = lastAnswer == null ? t : lastAnswer + "\n" + t;
                }
            }
        }
        CorrectnessException.check(commands.size() == script.size(),
                "W5: " + commands.size() + " commands answered of " + script.size());
        double[] install = new double[RUNS];
        double[] uninstall = new double[RUNS];
        for (int i = 0; i < WARMUP + RUNS; i++) {
            int base = 2 + 3 * i;
            String added = answers.get(base);
            CorrectnessException.check(added != null && added.contains("feature " + BenchFeature.NAME + " ready"),
                    "W5: m800:add answered '" + added + "'");
            String gone = answers.get(base + 2);
            CorrectnessException.check(gone != null && gone.contains("unavailable"),
                    "W5: m800:unavailable answered '" + gone + "'");
            if (i >= WARMUP) {
                install[i - WARMUP] = times.get(base);
                uninstall[i - WARMUP] = times.get(base + 1) + times.get(base + 2);
            }
        }
        Stats si = Stats.of(install);
        Stats su = Stats.of(uninstall);
        return List.of(
                Result.stats("W5.install", "install+start bundle until FEATURE_READY", "p50<=50 ms", "ms", si,
                        Result.verdict(si.median() <= 50), "m800:add in the runtime; ms resolution"),
                Result.stats("W5.uninstall", "uninstall until FEATURE_UNAVAILABLE", "p50<=50 ms", "ms", su,
                        Result.verdict(su.median() <= 50), "m800:remove + m800:unavailable"));
    }

    /** Packs {@link BenchFeature} as a bundle with a Declarative Services component. */
    static Path writeBundle(Path jar) throws IOException {
        String impl = BenchFeature.class.getName();
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.m800.sdk.benchmarks.feature");
        a.putValue("Bundle-Name", "M800 benchmark feature");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "org.m800.sdk.core;version=\"[1.0,2)\"");
        a.putValue("Service-Component", "OSGI-INF/" + impl + ".xml");
        a.putValue("Require-Capability",
                "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
        String ds = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s">
                  <property name="m800.feature" value="%s"/>
                  <property name="service.ranking" type="Integer" value="0"/>
                  <service><provide interface="org.m800.sdk.core.FeatureBundle"/></service>
                  <implementation class="%s"/>
                </scr:component>
                """.formatted(impl, BenchFeature.NAME, impl);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.putNextEntry(new JarEntry("OSGI-INF/" + impl + ".xml"));
            j.write(ds.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
            for (Class<?> c : List.of(BenchFeature.class, BenchFeature.Worker.class)) {
                String name = c.getName().replace('.', '/') + ".class";
                try (InputStream in = W5FeatureBundle.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IOException("class file " + name + " not found");
                    }
                    j.putNextEntry(new JarEntry(name));
                    in.transferTo(j);
                    j.closeEntry();
                }
            }
        }
        return jar;
    }
}
