package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.get;
import static org.m800.sdk.chat.ChatFixture.userId;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;

/**
 * A sender above the server's message rate: the SDK's outbox sends its pipelined messages again after
 * the server's {@code RATE_LIMITED/MESSAGE_RATE}, and they are still accepted once each and in
 * {@code send()} order (a token trickling back between two pipelined messages once let the second
 * overtake the refused first).
 */
public class ChatRateLimitTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp)
            .around(fx.serverOptions(b -> b.messageRate(200, 150)));

    @Test
    public void messagesAboveTheRateAreAcceptedInSendOrderOnceEach() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Recorder b = new Recorder();
        chat(bob).addListener(b);
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        int count = 500;
        List<CompletableFuture<Message>> accepted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            accepted.add(chat(alice).sendText(conv.id(), "m" + i).accepted());
        }
        for (CompletableFuture<Message> f : accepted) {
            f.get(60, TimeUnit.SECONDS);
        }
        b.await(count + " messages", r -> r.received.size() >= count);
        List<Message> received = b.receivedCopy();
        assertEquals(count, received.size());
        long lastSeq = 0;
        for (int i = 0; i < count; i++) {
            Message m = received.get(i);
            assertEquals("message " + i + " in send() order", "m" + i, m.text());
            assertTrue("seq " + m.seq() + " after " + lastSeq, m.seq() > lastSeq);
            lastSeq = m.seq();
        }
    }
}
