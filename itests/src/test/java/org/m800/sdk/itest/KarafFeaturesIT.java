package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import java.util.UUID;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.Profile;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The SDK's Karaf features repository ({@code karaf-features}) in a real Apache Karaf, the way a
 * carrier deploys it. Karaf boots with {@code m800-sdk-core} from the repository; two clients come
 * from {@code etc/org.m800.sdk.client-<name>.cfg} files (Configuration Admin through FileInstall),
 * connect to the reference server in the outer JVM and are listed by the SDK's shell command in a
 * Karaf console session. {@code m800-sdk-chat} is then installed with Karaf's FeaturesService while
 * they run (FEATURE_READY in both, a message from one reaches the other) and uninstalled again
 * (FEATURE_UNAVAILABLE in both, the clients stay connected); {@code m800-sdk} brings every feature
 * bundle up in a running client; last, the features uninstalled and the core stopped close the
 * clients and leave no thread of the SDK in Karaf.
 *
 * <p>Karaf reads the build's copy ({@code target/karaf-repo}: the features file, the SDK's bundles
 * and what else the features name that Karaf's system folder lacks) before the local Maven
 * repository and Maven Central, the only remote one left (Pax Exam fetches its own bundles there
 * when they are missing). Nothing listens on a fixed port: the SSH console and the JMX connector get
 * free ports of 127.0.0.1.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesIT extends KarafTestSupport {

    private static final String ALICE = "karaf-alice";
    private static final String BOB = "karaf-bob";
    private static final String CHAT = "chat";

    @Override
    @Configuration
    public Option[] configuration() {
        return options(karafWithClients(ALICE, BOB).toArray(Option[]::new));
    }

    @Test
    public void theFeaturesRunInKarafAndChatComesAndGoesWhileTheConfiguredClientsRun() throws Exception {
        FeaturesService featuresService = featuresService();
        SessionFactory shell = settledService(SessionFactory.class);
        Client alice = readyConfiguredClient(ALICE);
        Client bob = readyConfiguredClient(BOB);
        assertEquals(outerProperty(PROPERTY_IM), alice.config().imServers().get(0).toString());
        String clients = String.valueOf(KarafOptions.execute(shell, "m800:clients"));
        assertTrue("the SDK's Gogo commands work in Karaf's console: " + clients,
                clients.contains(ALICE + " READY") && clients.contains(BOB + " READY"));
        assertFalse("the chat feature is not installed yet", alice.module(CHAT).isPresent());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Profile aliceProfile = signUpAndConnect(alice, "alice-" + suffix);
        Profile bobProfile = signUpAndConnect(bob, "bob-" + suffix);
        Events aliceEvents = events(alice);
        Events bobEvents = events(bob);

        int aliceMark = aliceEvents.mark();
        int bobMark = bobEvents.mark();
        featuresService.installFeature("m800-sdk-chat", NO_REFRESH);
        uninstallAfterTest(featuresService, "m800-sdk-chat");
        aliceEvents.await(aliceMark, ClientEvent.FEATURE_READY, CHAT, TIMEOUT_S);
        bobEvents.await(bobMark, ClientEvent.FEATURE_READY, CHAT, TIMEOUT_S);
        Bundle chatBundle = bundleNamed("org.m800.sdk.chat");
        Bundle core = bundleNamed(CORE_BSN);
        assertEquals("the chat bundle is active", Bundle.ACTIVE, chatBundle.getState());

        new WithChat(alice, bob, bobProfile.userId()).aMessageReachesBob(aliceProfile.userId());

        aliceMark = aliceEvents.mark();
        bobMark = bobEvents.mark();
        // no refresh: the test's own probe is wired to the chat API it used
        featuresService.uninstallFeature("m800-sdk-chat", NO_REFRESH);
        aliceEvents.await(aliceMark, ClientEvent.FEATURE_UNAVAILABLE, CHAT, TIMEOUT_S);
        bobEvents.await(bobMark, ClientEvent.FEATURE_UNAVAILABLE, CHAT, TIMEOUT_S);
        assertEquals("the chat bundle is gone", Bundle.UNINSTALLED, chatBundle.getState());
        for (Client c : List.of(alice, bob)) {
            assertFalse(c.module(CHAT).isPresent());
            assertTrue("the client stays ready", c.isReady());
            assertEquals(ConnectionState.CONNECTED, c.require(ConnectService.class).state());
        }

        // the whole SDK: every feature bundle resolves in Karaf and comes up in a running client
        aliceMark = aliceEvents.mark();
        featuresService.installFeature("m800-sdk", NO_REFRESH);
        uninstallAfterTest(featuresService, "m800-sdk");
        for (String feature : List.of(CHAT, "contacts", "verification", "file", "call")) {
            aliceEvents.await(aliceMark, ClientEvent.FEATURE_READY, feature, TIMEOUT_S);
        }
        assertEquals(ConnectionState.CONNECTED, alice.require(ConnectService.class).state());

        // the features uninstalled and the core stopped (Karaf refuses to uninstall m800-sdk-core while the
        // tests' own API bundle imports its package): the clients close and no thread of the SDK is left
        featuresService.uninstallFeature("m800-sdk", NO_REFRESH);
        for (String bsn : List.of("org.m800.sdk.chat", "org.m800.sdk.contacts", "org.m800.sdk.verification",
                "org.m800.sdk.file", "org.m800.sdk.call")) {
            assertFalse(bsn + " is uninstalled", installed(bsn));
        }
        core.stop();
        waitUntil("both clients are closed", () -> alice.isClosed() && bob.isClosed(), TIMEOUT_S);
        assertTrue("no Client service is left", services(Client.class, null).isEmpty());
        waitUntil("no thread of the SDK is left", () -> liveThreads().stream()
                .noneMatch(t -> t.getName().startsWith("m800-")), TIMEOUT_S);
    }

    /*
     * The test class must not name a type of the chat API where JUnit's linking of the class would
     * load it: Karaf starts without the chat feature. The nested class is loaded once it is there.
     */

    /** The part of the test that uses the chat API. */
    private final class WithChat {
        private final ChatManager aliceChat;
        private final ChatInbox bobInbox = new ChatInbox("bob's chat in Karaf");
        private final String bobId;

        WithChat(Client alice, Client bob, String bobId) {
            this.aliceChat = alice.require(ChatManager.class);
            this.bobId = bobId;
            afterTest(bob.require(ChatManager.class).addListener(bobInbox));
        }

        void aMessageReachesBob(String aliceId) throws Exception {
            Conversation direct = await(aliceChat.openDirect(bobId), "openDirect(bob)");
            Message sent = await(aliceChat.sendText(direct.id(), "hello from Karaf").accepted(), "acceptance");
            Message got = bobInbox.await(0, sent.id());
            assertEquals("hello from Karaf", got.text());
            assertEquals(aliceId, got.senderId());
            assertEquals(1, bobInbox.count(sent.id()));
        }
    }
}
