package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.chat.Sending;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.ServerEvent;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The chat bundle of the reactor hot-installed into a running framework with two clients connected
 * to the real reference server (outer JVM): FEATURE_READY("chat") in both, a message from one
 * reaches the other exactly once; the bundle stopped: FEATURE_UNAVAILABLE in both, and nothing of it
 * is left (services, service listeners, threads, the store's open files, chat listeners); started
 * again: FEATURE_READY, the history of the local stores is still there and new messages flow; updated
 * (a new revision of the bundle): the stores show the same history, states and unread counts.
 *
 * <p>The framework starts without the chat API, which the probe imports dynamically once the bundle
 * is installed: the test class itself names none of its types; the nested classes that do are loaded
 * only after the installation.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class ChatFeatureIT extends ServerTestSupport {

    /** The reactor's chat bundle, as copied to target/bundles by the build. */
    private static final String CHAT_BUNDLE = "chat-bundle";
    private static final String FEATURE = "chat";
    private static final Path FDS = Path.of("/proc/self/fd");

    @Test
    public void twoClientsChatAcrossTheBundleStoppingAndStartingAgain() throws Exception {
        Client ann = serverClient("chat-ann");
        Client ben = serverClient("chat-ben");
        Profile annProfile = signUpAndConnect(ann, "ann");
        Profile benProfile = signUpAndConnect(ben, "ben");
        Events annEvents = events(ann);
        Events benEvents = events(ben);
        Bundle core = coreBundle();
        ServiceListenerCounter coreListeners = afterTest(new ServiceListenerCounter(bundleContext, core));
        Set<Thread> threadsBefore = liveThreads();
        int coreListenersBefore = coreListeners.count();
        int coreServicesBefore = count(core.getRegisteredServices());
        assertFalse(ann.module(FEATURE).isPresent());

        // hot install: both running clients get the feature, once
        int annMark = annEvents.mark();
        int benMark = benEvents.mark();
        Bundle chat = bundleContext.installBundle(TestBundles.runtimeLocation(CHAT_BUNDLE));
        afterTest(() -> {
            if (chat.getState() != Bundle.UNINSTALLED) {
                chat.uninstall();
            }
        });
        ServiceListenerCounter chatListeners = afterTest(new ServiceListenerCounter(bundleContext, chat));
        chat.start();
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        assertEquals(1, annEvents.count(annMark, ClientEvent.FEATURE_READY, FEATURE));
        assertEquals(1, benEvents.count(benMark, ClientEvent.FEATURE_READY, FEATURE));
        assertEquals(ClientDiagnostics.FeatureState.READY, ben.diagnostics().feature(FEATURE).state());
        assertTrue("the chat bundle registers its feature", count(chat.getRegisteredServices()) > 0);

        // everything that names a type of the chat API happens in a class loaded from here on
        WithTheFeature steps = new WithTheFeature(ann, ben, annProfile, benProfile);
        steps.aMessageReachesTheOtherClientOnce();
        assertTrue("the store keeps its file open while the feature runs", openFilesUnder(chatStore(ann)) > 0);
        assertTrue("the bundle's components follow services with listeners of the bundle",
                chatListeners.count() > 0);

        // stopped: unavailable in both clients, and nothing of the bundle is left behind
        annMark = annEvents.mark();
        benMark = benEvents.mark();
        chat.stop();
        annEvents.await(annMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        for (Client c : List.of(ann, ben)) {
            assertFalse(c.module(FEATURE).isPresent());
            ClientDiagnostics.FeatureStatus gone = c.diagnostics().feature(FEATURE);
            assertTrue("not READY: " + gone, gone == null || gone.state() != ClientDiagnostics.FeatureState.READY);
            assertTrue("the client stays ready", c.isReady());
            assertEquals(ConnectionState.CONNECTED, c.require(ConnectService.class).state());
        }
        assertNull("no service of the chat bundle is left", chat.getRegisteredServices());
        assertNull("the chat bundle uses no service any more", chat.getServicesInUse());
        assertEquals("service listeners of the chat bundle", 0, chatListeners.count());
        waitUntil("the chat stores' files are closed",
                () -> openFilesUnder(chatStore(ann)) == 0 && openFilesUnder(chatStore(ben)) == 0, TIMEOUT_S);
        waitUntil("no thread runs chat code", () -> threadsInChatCode().isEmpty(), TIMEOUT_S);
        assertNoNewThreads(threadsBefore);
        assertEquals("service listeners of the core bundle", coreListenersBefore, coreListeners.count());
        assertEquals("services of the core bundle", coreServicesBefore, count(core.getRegisteredServices()));
        steps.whileStoppedNothingOfTheFeatureListens();

        // started again: ready in both, the local history is there, and messages flow again
        annMark = annEvents.mark();
        benMark = benEvents.mark();
        chat.start();
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        steps.afterTheRestartTheHistoryIsThereAndMessagesFlow();
        assertEquals("one FEATURE_READY per start", 1, annEvents.count(annMark, ClientEvent.FEATURE_READY, FEATURE));
        assertEquals(ConnectionState.CONNECTED, ann.require(ConnectService.class).state());
        assertEquals(ConnectionState.CONNECTED, ben.require(ConnectService.class).state());

        // updated (a new revision of the bundle, as `bundle:update` does): what the clients stored is all there
        WithTheFeature.Snapshot beforeUpdate = steps.snapshot();
        annMark = annEvents.mark();
        benMark = benEvents.mark();
        chat.update();
        annEvents.await(annMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        steps.afterAnUpdateTheStoresAreUnchangedAndMessagesFlow(beforeUpdate);
    }

    // ---- leak checks -----------------------------------------------------------------------

    /** The folder of the client's chat stores ({@code <data>/chat}). */
    private static Path chatStore(Client client) {
        return client.config().dataDirectoryFor(client.appMeta()).resolve("chat").toAbsolutePath();
    }

    /** Files this process holds open under the folder. */
    private static int openFilesUnder(Path folder) {
        try (Stream<Path> fds = Files.list(FDS)) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(folder);
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + FDS + " (the test needs Linux): " + e, e);
        }
    }

    /** Threads with a frame of the chat bundle's code on their stacks. */
    private static List<String> threadsInChatCode() {
        List<String> found = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("org.m800.sdk.chat.")) {
                    found.add(t.getName() + " in " + frame);
                    break;
                }
            }
        });
        return found;
    }

    /**
     * No thread that was not there before the bundle came is still alive, except the SDK's own shared,
     * bounded pools ({@code m800-*}), the reference server's and the tests' own.
     */
    private static void assertNoNewThreads(Set<Thread> before) throws Exception {
        List<String> extra = new ArrayList<>();
        try {
            waitUntil("threads started while the chat bundle ran end", () -> {
                List<String> now = liveThreads().stream().filter(t -> !before.contains(t))
                        .filter(t -> !t.getName().startsWith("m800-")).filter(t -> !t.getName().startsWith("itest-"))
                        .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : "")).sorted().collect(Collectors.toList());
                synchronized (extra) {
                    extra.clear();
                    extra.addAll(now);
                }
                return now.isEmpty();
            }, TIMEOUT_S);
        } catch (AssertionError e) {
            synchronized (extra) {
                throw new AssertionError("threads left behind by the chat bundle: " + extra, e);
            }
        }
    }


    /*
     * Members of this class must not name a type of the chat API in their signatures (lambdas
     * included), and its methods must not pass one where the verifier would have to load it: JUnit
     * reads and links the class before the bundle is installed. The nested class below (and
     * ChatInbox) are loaded only once it is.
     */

    /** The part of the test that uses the chat API. */
    private final class WithTheFeature {
        private final Client ann;
        private final Client ben;
        private final String annId;
        private final String benId;
        private final ChatManager annChat;
        private final ChatManager benChat;
        /** Listeners of the first instances; they must hear nothing once the bundle stopped. */
        private final ChatInbox annFirst = new ChatInbox("ann's first chat");
        private final ChatInbox benFirst = new ChatInbox("ben's first chat");
        private Conversation direct;
        private Message hello;
        private Message second;

        WithTheFeature(Client ann, Client ben, Profile annProfile, Profile benProfile) {
            this.ann = ann;
            this.ben = ben;
            this.annId = annProfile.userId();
            this.benId = benProfile.userId();
            this.annChat = ann.require(ChatManager.class);
            this.benChat = ben.require(ChatManager.class);
            afterTest(annChat.addListener(annFirst));
            afterTest(benChat.addListener(benFirst));
        }

        void aMessageReachesTheOtherClientOnce() throws Exception {
            direct = await(annChat.openDirect(benId), "openDirect(ben)");
            Sending sending = annChat.sendText(direct.id(), "hello ben");
            assertEquals(MessageState.SENDING, sending.message().state());
            hello = await(sending.accepted(), "acceptance of the first message");
            assertEquals(MessageState.SENT, hello.state());
            assertEquals(1, hello.seq());
            Message got = benFirst.await(0, hello.id());
            assertEquals("hello ben", got.text());
            assertEquals(annId, got.senderId());
            assertEquals(MessageState.RECEIVED, got.state());
            // in order within the conversation: once the next message is there, a repeat of the first would be too
            second = await(annChat.sendText(direct.id(), "are you there?").accepted(), "acceptance of the second");
            benFirst.await(0, second.id());
            assertEquals("each message once, in order", List.of(hello.id(), second.id()), benFirst.ids());
            assertEquals(1, benFirst.count(hello.id()));
            assertEquals(List.of(second.id(), hello.id()), ids(await(benChat.history(direct.id(), 0, 50), "history")));
            assertEquals(2, benChat.unreadCount(direct.id()));
            assertEquals("ann's own device does not hear her messages as received", List.of(), annFirst.ids());
        }

        void whileStoppedNothingOfTheFeatureListens() throws Exception {
            // the instances of the stopped bundle refuse, and their listeners hear nothing more
            try {
                annChat.sendText(direct.id(), "into the void");
                fail("a closed chat must refuse to send");
            } catch (M800Exception e) {
                assertCode(ErrorCode.CLOSED, e);
            }
            assertCode(ErrorCode.FEATURE_UNAVAILABLE, thrownBy(ann));
            // a chat.message event still reaches ben's client (the core), but no chat listener
            Recorder<ServerEvent> benRaw = new Recorder<>("chat.message event of ben's client");
            afterTest(ben.require(NotificationService.class).subscribe("chat.message", benRaw));
            Map<String, Object> accepted = await(ann.require(ConnectService.class).request("chat.send",
                    Map.of("conversationId", direct.id(), "messageId", "sent-while-stopped",
                            "content", Map.of("kind", "text", "text", "while the chat bundle is stopped"))),
                    "chat.send without the feature");
            assertEquals(3L, ((Number) accepted.get("seq")).longValue());
            benRaw.await(0, "of sent-while-stopped", e -> "sent-while-stopped".equals(e.data().get("messageId")),
                    TIMEOUT_S);
            assertEquals("a stopped chat's listener hears nothing", List.of(hello.id(), second.id()), benFirst.ids());
        }

        void afterTheRestartTheHistoryIsThereAndMessagesFlow() throws Exception {
            ChatManager annAgain = ann.require(ChatManager.class);
            ChatManager benAgain = ben.require(ChatManager.class);
            assertNotSame("a new instance", annChat, annAgain);
            ChatInbox annNow = new ChatInbox("ann's chat after the restart");
            ChatInbox benNow = new ChatInbox("ben's chat after the restart");
            afterTest(annAgain.addListener(annNow));
            afterTest(benAgain.addListener(benNow));

            // the local stores survived: read without asking the server
            assertEquals("hello ben", annAgain.message(hello.id()).orElseThrow().text());
            assertTrue(annAgain.message(hello.id()).orElseThrow().outgoing());
            assertEquals("hello ben", benAgain.message(hello.id()).orElseThrow().text());
            assertEquals(MessageState.RECEIVED, benAgain.message(second.id()).orElseThrow().state());
            assertEquals(direct.id(), benAgain.conversation(direct.id()).orElseThrow().id());
            assertTrue(annAgain.conversations().stream().anyMatch(c -> c.id().equals(direct.id())));
            // what reached ben's client while the feature was away is fetched by the new instance by itself
            waitUntil("ben's chat fetches the message sent while it was stopped",
                    () -> benAgain.message("sent-while-stopped").isPresent(), TIMEOUT_S);

            // a new message flows both ways, once, to the new listeners only
            Message after = await(annAgain.sendText(direct.id(), "back again").accepted(), "acceptance after the restart");
            assertEquals("after the two messages and the one sent while stopped", 4, after.seq());
            assertEquals("back again", benNow.await(0, after.id()).text());
            Message answer = await(benAgain.sendText(direct.id(), "welcome back").accepted(), "ben's answer");
            assertEquals("welcome back", annNow.await(0, answer.id()).text());
            assertEquals("the first instances' listeners are gone", List.of(hello.id(), second.id()), benFirst.ids());
            assertEquals(List.of(), annFirst.ids());

            // ben's history: everything once, in order, the message sent while stopped included
            List<String> history = ids(await(benAgain.history(direct.id(), 0, 50), "history after the restart"));
            assertEquals(List.of(answer.id(), after.id(), "sent-while-stopped", second.id(), hello.id()), history);
            // the one fetched by the restarted instance was told at most once, and before the newer one
            List<String> told = benNow.ids();
            assertTrue("told to ben's new listener: " + told, told.equals(List.of(after.id()))
                    || told.equals(List.of("sent-while-stopped", after.id())));
            assertEquals(MessageState.RECEIVED, benAgain.message("sent-while-stopped").orElseThrow().state());
            assertEquals("hello, are you there, the one sent while stopped, back again", 4,
                    benAgain.unreadCount(direct.id()));
        }

        private M800Exception thrownBy(Client client) {
            try {
                client.require(ChatManager.class);
            } catch (M800Exception e) {
                return e;
            }
            throw new AssertionError("the chat feature of " + client.id() + " is still there");
        }

        /** What both clients' chat features show of the direct conversation. */
        record Snapshot(List<String> annHistory, List<String> benHistory, int benUnread, List<MessageState> annStates) {
        }

        /**
         * Taken once the conversation is settled: every message of ann that ben's device stored is
         * DELIVERED (or READ) in ann's view, so no receipt still in flight changes a state afterwards.
         */
        Snapshot snapshot() throws Exception {
            ChatManager annNow = ann.require(ChatManager.class);
            ChatManager benNow = ben.require(ChatManager.class);
            waitUntil("ben's delivery receipts reached ann", () -> {
                try {
                    return annNow.history(direct.id(), 0, 50).get(TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS)
                            .messages().stream().filter(Message::outgoing).allMatch(m -> m.state() == MessageState.DELIVERED
                                    || m.state() == MessageState.READ);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, TIMEOUT_S);
            HistoryPage annPage = await(annNow.history(direct.id(), 0, 50), "ann's history");
            return new Snapshot(ids(annPage), ids(await(benNow.history(direct.id(), 0, 50), "ben's history")),
                    benNow.unreadCount(direct.id()),
                    annPage.messages().stream().map(Message::state).collect(Collectors.toList()));
        }

        void afterAnUpdateTheStoresAreUnchangedAndMessagesFlow(Snapshot before) throws Exception {
            assertEquals("the same history, states and unread count after the update", before, snapshot());
            ChatManager annUpdated = ann.require(ChatManager.class);
            ChatInbox benUpdated = new ChatInbox("ben's chat after the update");
            afterTest(ben.require(ChatManager.class).addListener(benUpdated));
            Message next = await(annUpdated.sendText(direct.id(), "after the update").accepted(), "acceptance after the update");
            assertEquals("the conversation goes on where it was", 6, next.seq());
            assertEquals("after the update", benUpdated.await(0, next.id()).text());
        }

        private List<String> ids(HistoryPage page) {
            return page.messages().stream().map(Message::id).collect(Collectors.toList());
        }
    }
}
