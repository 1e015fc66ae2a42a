package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.ServerEvent;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A message that reaches a client while its chat bundle is stopped is recovered by the sync the chat
 * runs when it starts again, even when a newer message of the same conversation overtakes that sync.
 * Ben's IM connection goes through a {@link HoldingProxy}, which holds the restarted chat's sync
 * request until the newer message has reached Ben: the order that a loaded machine produces now and
 * then (ChatFeatureIT saw it about once in three runs before it waited for the sync).
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class ChatRestartSyncIT extends ServerTestSupport {

    private static final String FEATURE = "chat";

    @Test
    public void aMessageFromWhileTheChatWasStoppedIsNotLostWhenANewerOneOvertakesTheSync() throws Exception {
        HoldingProxy benLink = afterTest(new HoldingProxy(URI.create(httpServer())));
        Client ann = serverClient("sync-ann");
        URI im = URI.create(imServer());
        Client ben = newClient(serverConfig("sync-ben")
                .imServers("ws://127.0.0.1:" + benLink.uri().getPort() + im.getPath()).build(), List.of());
        awaitReady(ben);
        Profile annProfile = signUpAndConnect(ann, "ann");
        Profile benProfile = signUpAndConnect(ben, "ben");
        Events annEvents = events(ann);
        Events benEvents = events(ben);

        int annMark = annEvents.mark();
        int benMark = benEvents.mark();
        Bundle chat = bundleContext.installBundle(TestBundles.runtimeLocation("chat-bundle"));
        afterTest(() -> {
            if (chat.getState() != Bundle.UNINSTALLED) {
                chat.uninstall();
            }
        });
        chat.start();
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        new WithTheFeature(ann, ben, annEvents, benEvents, chat, benLink).run(benProfile.userId(), annProfile.userId());
    }

    /** Uses the chat API: loaded only once the bundle is installed. */
    private final class WithTheFeature {
        private final Client ann;
        private final Client ben;
        private final Events annEvents;
        private final Events benEvents;
        private final Bundle chat;
        private final HoldingProxy benLink;

        WithTheFeature(Client ann, Client ben, Events annEvents, Events benEvents, Bundle chat, HoldingProxy benLink) {
            this.ann = ann;
            this.ben = ben;
            this.annEvents = annEvents;
            this.benEvents = benEvents;
            this.chat = chat;
            this.benLink = benLink;
        }

        void run(String benId, String annId) throws Exception {
            ChatInbox benFirst = new ChatInbox("ben's first chat");
            afterTest(ben.require(ChatManager.class).addListener(benFirst));
            Conversation direct = await(ann.require(ChatManager.class).openDirect(benId), "openDirect(ben)");
            Message hello = await(ann.require(ChatManager.class).sendText(direct.id(), "hello").accepted(), "hello");
            benFirst.await(0, hello.id());

            // the chat stopped in both clients; a message reaches Ben's client (its core) meanwhile
            int annMark = annEvents.mark();
            int benMark = benEvents.mark();
            chat.stop();
            annEvents.await(annMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
            benEvents.await(benMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
            Recorder<ServerEvent> benRaw = new Recorder<>("chat.message event of ben's client");
            afterTest(ben.require(NotificationService.class).subscribe("chat.message", benRaw));
            await(ann.require(ConnectService.class).request("chat.send", Map.of("conversationId", direct.id(),
                    "messageId", "while-stopped", "content", Map.of("kind", "text", "text", "while stopped"))),
                    "chat.send without the feature");
            benRaw.await(0, "of while-stopped", e -> "while-stopped".equals(e.data().get("messageId")), TIMEOUT_S);

            // started again, with Ben's requests held: his chat's sync waits while a newer message arrives
            benLink.hold();
            annMark = annEvents.mark();
            benMark = benEvents.mark();
            chat.start();
            annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
            benEvents.await(benMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
            ChatManager benChat = ben.require(ChatManager.class);
            ChatInbox benNow = new ChatInbox("ben's chat after the restart");
            afterTest(benChat.addListener(benNow));
            benLink.awaitHeld(TIMEOUT_S);
            Message newer = await(ann.require(ChatManager.class).sendText(direct.id(), "newer").accepted(), "newer");
            assertEquals(3, newer.seq());
            benNow.await(0, newer.id());
            benLink.release();

            // the sync (the automatic one, and one more) brings what arrived while the chat was stopped.
            // The listener is told on the event threads after the store changed, so a sync's future may
            // complete before its messageReceived reaches benNow: count only after sync points told
            // through the same listener (the restart's synced(), then a message sent after the syncs)
            benNow.awaitSynced();
            await(benChat.sync(), "sync");
            Message last = await(ann.require(ChatManager.class).sendText(direct.id(), "last").accepted(), "last");
            benNow.await(0, last.id());
            assertTrue("ben's store has the message that reached his client while the chat was stopped"
                    + " (told to the listener: " + benNow.ids() + ")", benChat.message("while-stopped").isPresent());
            assertEquals("told once, after the newer message that overtook the sync",
                    List.of(newer.id(), "while-stopped", last.id()), benNow.ids());
            assertEquals(annId, benChat.message("while-stopped").orElseThrow().senderId());
        }
    }
}
