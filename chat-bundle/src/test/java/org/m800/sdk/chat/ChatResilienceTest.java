package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.get;
import static org.m800.sdk.chat.ChatFixture.userId;
import static org.m800.sdk.chat.ChatIntegrationTest.assertExactlyOnceInOrder;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;

/** The delivery guarantee across connection cuts, a discarded sender and server restarts. */
public class ChatResilienceTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void thousandMessagesWithTheConnectionCutAtRandomPointsArriveOnceInOrder() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Recorder b = new Recorder();
        chat(bob).addListener(b);
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        Random random = new Random(800);
        Set<Integer> cuts = new TreeSet<>();
        while (cuts.size() < 4) {
            cuts.add(1 + random.nextInt(998));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(chat(alice).sendText(conv.id(), "m" + i).message().id());
            if (cuts.contains(i)) {
                // every connection of both clients drops, the server comes back on the same port and data
                fx.restart();
            }
        }
        try {
            b.await("1000 messages", r -> r.received.size() >= 1000);
        } catch (AssertionError e) {
            Set<String> missing = new HashSet<>(ids);
            b.receivedCopy().forEach(m -> missing.remove(m.id()));
            StringBuilder why = new StringBuilder(e.getMessage()).append("; missing:");
            for (String id : missing) {
                why.append(' ').append(chat(alice).message(id).map(Message::toString).orElse(id + " NOT IN STORE"))
                        .append(" bob has: ").append(chat(bob).message(id).isPresent());
            }
            why.append("; alice outbox ").append(chat(alice).outbox().size());
            throw new AssertionError(why.toString());
        }
        assertExactlyOnceInOrder(b.receivedCopy(), ids);
        // the sender's outbox drains; the local histories agree
        Recorder a = new Recorder();
        chat(alice).addListener(a);
        a.await("outbox empty", r -> chat(alice).outbox().isEmpty());
        assertEquals(1000, get(chat(bob).history(conv.id(), 0, 200)).messages().get(0).seq());
    }

    @Test
    public void senderDiscardedMidSendAndReopenedOnTheSameDataLosesNothingAndRepeatsNothing() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Recorder b = new Recorder();
        chat(bob).addListener(b);
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        Path aliceData = alice.config().dataDirectory();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            ids.add(chat(alice).sendText(conv.id(), "first life " + i).message().id());
        }
        // discarded while most of them are still in flight
        alice.close();

        Client again = fx.open("alice-again", aliceData);
        assertTrue("the outbox survived", chat(again).outbox().size() > 0 || b.receivedCount() == 400);
        for (int i = 0; i < 100; i++) {
            ids.add(chat(again).sendText(conv.id(), "second life " + i).message().id());
        }
        try {
            b.await("500 messages", r -> r.received.size() >= 500);
        } catch (AssertionError e) {
            Set<String> missing = new HashSet<>(ids);
            b.receivedCopy().forEach(m -> missing.remove(m.id()));
            StringBuilder why = new StringBuilder(e.getMessage()).append("; missing:");
            for (String id : missing) {
                why.append(' ').append(id).append('=').append(chat(again).message(id).map(Message::toString).orElse("NOT IN STORE"));
            }
            throw new AssertionError(why.toString());
        }
        assertExactlyOnceInOrder(b.receivedCopy(), ids);
        Recorder a = new Recorder();
        chat(again).addListener(a);
        a.await("outbox empty", r -> chat(again).outbox().isEmpty());
    }

    @Test
    public void serverRestartedMidStreamLosesNothingAndRepeatsNothingInBothDirections() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        chat(alice).addListener(a);
        chat(bob).addListener(b);
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        get(chat(bob).openDirect(userId(alice)));
        Set<String> fromAlice = new HashSet<>();
        Set<String> fromBob = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            fromAlice.add(chat(alice).sendText(conv.id(), "a" + i).message().id());
            fromBob.add(chat(bob).sendText(conv.id(), "b" + i).message().id());
            if (i == 150) {
                fx.restart();
            }
        }
        b.await("300 from alice", r -> r.received.size() >= 300);
        a.await("300 from bob", r -> r.received.size() >= 300);
        assertExactlyOnceInOrder(b.receivedCopy(), fromAlice);
        assertExactlyOnceInOrder(a.receivedCopy(), fromBob);
        // a sender learns a message's seq from the answer or its own event, which can come after the
        // recipient has the message
        a.await("alice's outbox empty", r -> chat(alice).outbox().isEmpty());
        b.await("bob's outbox empty", r -> chat(bob).outbox().isEmpty());
        // both sides hold the same 600 messages with the same seqs
        List<Message> aliceView = get(chat(alice).history(conv.id(), 0, 200)).messages();
        List<Message> bobView = get(chat(bob).history(conv.id(), 0, 200)).messages();
        assertEquals(aliceView.stream().map(Message::id).toList(), bobView.stream().map(Message::id).toList());
        assertEquals(600, aliceView.get(0).seq());
    }
}
