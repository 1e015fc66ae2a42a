package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.get;
import static org.m800.sdk.chat.ChatFixture.userId;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;

/**
 * A client killed with SIGKILL while its outbox holds a backlog (issue 17's fault scenarios): alice's
 * client runs in a child JVM and stores messages faster than the server takes them (its message rate
 * is limited); the JVM is killed mid-way; a client opened on the same data folder sends the rest. Bob
 * receives every message the killed client had stored, once each and in send order. (The server's
 * message rate, 300 a second here, is what keeps a backlog however fast the machine.) Prints the
 * stored / received / lost / duplicated / reordered figures.
 */
public class ClientKillTest {
    private static final int MESSAGES = 2_000;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx.serverOptions(b -> b.messageRate(300, 300)));

    @Test
    public void aClientKilledWithABacklogSendsEveryStoredMessageOnceInOrderAfterARestart() throws Exception {
        Client bob = fx.newUser("bob");
        Recorder b = new Recorder();
        chat(bob).addListener(b);
        Path aliceData = fx.newDataDirectory();
        Client alice = fx.open("alice", aliceData);
        get(alice.require(AccountManager.class).signUp("alice", "alice-password", null));
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        alice.close();

        AtomicInteger lastStored = new AtomicInteger(-1);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), SendingClientMain.class.getName(),
                fx.server().imUri().toString(), fx.server().httpUri().toString(), aliceData.toString(), conv.id(),
                "0", Integer.toString(MESSAGES));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder childOutput = new StringBuilder();
        Thread reader = new Thread(() -> read(child, lastStored, childOutput), "client-process-output");
        reader.setDaemon(true);
        reader.start();
        int storedAtKill;
        int receivedAtKill;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // kill once half is stored, bob got some, and a backlog of 150 waits in the outbox (on a very
            // busy machine the child may store little faster than the server takes them: wait for the
            // backlog rather than for a count, until everything is stored)
            while ((lastStored.get() < MESSAGES / 2 || b.receivedCount() < 100
                    || lastStored.get() + 1 - b.receivedCount() < 150) && lastStored.get() < MESSAGES - 1) {
                assertTrue("the client process ended early:\n" + childOutput(childOutput), child.isAlive());
                assertTrue("the client process did not get going:\n" + childOutput(childOutput),
                        System.nanoTime() < deadline);
                synchronized (lastStored) {
                    lastStored.wait(50);
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the chat log
            assertTrue("the client process survived SIGKILL", child.waitFor(30, TimeUnit.SECONDS));
        }
        reader.join(10_000);
        storedAtKill = lastStored.get();
        receivedAtKill = b.receivedCount();

        Client again = fx.open("alice", aliceData);
        get(chat(again).sendText(conv.id(), "end").accepted(), 60);
        b.await("the message after the restart", r -> r.received.stream().anyMatch(m -> m.text().equals("end")));

        List<Message> received = b.receivedCopy();
        Set<String> seen = new HashSet<>();
        int duplicated = 0;
        int reordered = 0;
        int next = 0;
        for (Message m : received) {
            if (m.text().equals("end")) {
                continue;
            }
            if (!seen.add(m.text())) {
                duplicated++;
                continue;
            }
            int index = Integer.parseInt(m.text().substring(1));
            if (index != next) {
                reordered++;
            }
            next = index + 1;
        }
        int lost = 0;
        for (int i = 0; i <= storedAtKill; i++) {
            if (!seen.contains("m" + i)) {
                lost++;
            }
        }
        System.out.printf("client SIGKILL with a backlog: stored %d before the kill (bob had %d), received %d,"
                + " lost %d, duplicated %d, reordered %d%n", storedAtKill + 1, receivedAtKill, seen.size(), lost,
                duplicated, reordered);
        assertTrue("a backlog at the kill: stored " + (storedAtKill + 1) + ", received " + receivedAtKill,
                storedAtKill + 1 - receivedAtKill >= 100);
        assertEquals("stored messages lost", 0, lost);
        assertEquals("duplicated", 0, duplicated);
        assertEquals("out of send order", 0, reordered);
        assertEquals("the last message after the restart comes last", "end", received.get(received.size() - 1).text());
    }

    private static void read(Process child, AtomicInteger lastStored, StringBuilder output) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                if (line.startsWith("stored ")) {
                    lastStored.set(Integer.parseInt(line.substring(7)));
                    synchronized (lastStored) {
                        lastStored.notifyAll();
                    }
                } else {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // killed: nothing more to read
        }
    }

    private static String childOutput(StringBuilder output) {
        synchronized (output) {
            return output.toString();
        }
    }
}
