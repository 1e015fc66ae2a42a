package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactEvent;
import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.Profile;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The contacts bundle of the reactor hot-installed into a running framework with two clients
 * connected to the real reference server (outer JVM): FEATURE_READY("contacts") in both; a contact
 * added by one and its presence subscription work; the bundle stopped: FEATURE_UNAVAILABLE in both,
 * no service or listener of it is left, no thread runs its code, the clients stay connected; started
 * again: FEATURE_READY, and the contact list is there at once from the client's storage; so it is
 * after an update of the bundle (a new revision).
 *
 * <p>The framework starts without the contacts API, which the probe imports dynamically once the
 * bundle is installed: the test class names its types only in the nested class, which is loaded after
 * the installation.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class ContactsFeatureIT extends ServerTestSupport {

    /** The reactor's contacts bundle, as copied to target/bundles by the build. */
    private static final String CONTACTS_BUNDLE = "contacts-bundle";
    private static final String FEATURE = "contacts";

    @Test
    public void hotInstalledContactsWorkAndLeaveNothingBehindWhenStopped() throws Exception {
        Client ann = serverClient("contacts-ann");
        Client ben = serverClient("contacts-ben");
        Profile annProfile = signUpAndConnect(ann, "contacts-ann");
        Profile benProfile = signUpAndConnect(ben, "contacts-ben");
        Events annEvents = events(ann);
        Events benEvents = events(ben);
        assertFalse(ann.module(FEATURE).isPresent());

        int annMark = annEvents.mark();
        int benMark = benEvents.mark();
        Bundle contacts = bundleContext.installBundle(TestBundles.runtimeLocation(CONTACTS_BUNDLE));
        afterTest(() -> {
            if (contacts.getState() != Bundle.UNINSTALLED) {
                contacts.uninstall();
            }
        });
        ServiceListenerCounter listeners = afterTest(new ServiceListenerCounter(bundleContext, contacts));
        contacts.start();
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        assertEquals(1, annEvents.count(annMark, ClientEvent.FEATURE_READY, FEATURE));
        assertEquals(ClientDiagnostics.FeatureState.READY, ben.diagnostics().feature(FEATURE).state());

        WithTheFeature steps = new WithTheFeature(ann, ben, benProfile);
        steps.aContactAndItsPresence();
        assertEquals(annProfile.userId(), ann.require(ConnectService.class).userId());

        annMark = annEvents.mark();
        benMark = benEvents.mark();
        contacts.stop();
        annEvents.await(annMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        for (Client c : List.of(ann, ben)) {
            assertFalse(c.module(FEATURE).isPresent());
            assertTrue("the client stays ready", c.isReady());
            assertEquals(ConnectionState.CONNECTED, c.require(ConnectService.class).state());
        }
        assertNull("no service of the contacts bundle is left", contacts.getRegisteredServices());
        assertNull("the contacts bundle uses no service any more", contacts.getServicesInUse());
        assertEquals("service listeners of the contacts bundle", 0, listeners.count());
        waitUntil("no thread runs contacts code", () -> threadsInContactsCode().isEmpty(), TIMEOUT_S);

        annMark = annEvents.mark();
        contacts.start();
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        steps.afterTheRestartTheListIsThere();

        // updated (a new revision of the bundle, as `bundle:update` does): the list is still there
        annMark = annEvents.mark();
        contacts.update();
        annEvents.await(annMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        steps.afterTheRestartTheListIsThere();
    }

    /** Threads with a frame of the contacts bundle's code on their stacks. */
    private static List<String> threadsInContactsCode() {
        List<String> found = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("org.m800.sdk.contacts.")) {
                    found.add(t.getName() + " in " + frame);
                    break;
                }
            }
        });
        return found;
    }

    /*
     * Members of this class must not name a type of the contacts API in their signatures: JUnit reads
     * and links the class before the bundle is installed. The nested class below is loaded only once it is.
     */

    /** The part of the test that uses the contacts API. */
    private final class WithTheFeature {
        private final Client ann;
        private final Client ben;
        private final String benId;
        private final ContactManager annContacts;
        private final List<Object> heard = new ArrayList<>();

        WithTheFeature(Client ann, Client ben, Profile benProfile) {
            this.ann = ann;
            this.ben = ben;
            this.benId = benProfile.userId();
            this.annContacts = ann.require(ContactManager.class);
            afterTest(annContacts.addListener(new ContactListener() {
                @Override
                public void contactChanged(ContactEvent event) {
                    synchronized (heard) {
                        heard.add(event);
                    }
                }
            }));
        }

        void aContactAndItsPresence() throws Exception {
            Contact bob = await(annContacts.add(benId, "Ben"), "add(ben)");
            assertEquals("Ben", bob.name());
            Map<String, Presence> now = await(annContacts.subscribePresence(List.of(benId)), "subscribePresence");
            assertEquals(PresenceState.ONLINE, now.get(benId).state());
            await(ben.require(ContactManager.class).setPresence(PresenceState.AWAY), "setPresence(AWAY)");
            waitUntil("ann learns ben is away", () -> annContacts.presence(benId)
                    .map(p -> p.state() == PresenceState.AWAY).orElse(false), TIMEOUT_S);
            waitUntil("ann's listener heard the contact", () -> {
                synchronized (heard) {
                    return heard.size() == 1;
                }
            }, TIMEOUT_S);
        }

        void afterTheRestartTheListIsThere() {
            ContactManager again = ann.require(ContactManager.class);
            assertNotSame("a new instance", annContacts, again);
            assertEquals("Ben", again.contact(benId).orElseThrow().alias());
        }
    }
}
