package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Call signalling on {@code /v1/call} (docs/protocol.md section 13) against the real server: every
 * transition of the state machine, several devices, the ring and media timeouts, busy and waiting, who
 * may act on a call, bad input, and the relay's latching.
 */
public class CallSignallingTest {
    private static final Pattern MEDIA_PORT = Pattern.compile("m=audio (\\d+) ");

    private final TemporaryFolder temp = new TemporaryFolder();
    private final List<AutoCloseable> open = new ArrayList<>();
    private ReferenceServer server;
    private HttpTestClient http;

    private void start(CallSettings settings) throws Exception {
        temp.create();
        server = ReferenceServer.builder().port(0).dataDirectory(temp.newFolder("data").toPath())
                .callSettings(settings.withRelay("127.0.0.1", 0 + freeBase(), freeBase() + 199)).build().start();
        open.add(server);
        http = HttpTestClient.dev(server);
    }

    /** A base port for the relay range that other tests on the machine are unlikely to use. */
    private static int freeBase() {
        return 42_000 + (int) (ProcessHandle.current().pid() % 50) * 200;
    }

    @After
    public void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        temp.delete();
    }

    private static CallSettings defaults() {
        // the media timeout is long: these tests send no audio unless they say so
        return CallSettings.DEFAULTS.withMediaTimeout(Duration.ofMinutes(5));
    }

    /** A signed-up user. */
    private record User(String id, String token, String username) {
    }

    private User user(String name) throws Exception {
        JsonNode s = http.signUp(name, name + "-password");
        return new User(s.path("userId").asText(), s.path("accessToken").asText(), name);
    }

    /** A second device (login session) of a user. */
    private User secondDevice(User u) throws Exception {
        JsonNode s = http.logIn(u.username(), u.username() + "-password").body();
        return new User(u.id(), s.path("accessToken").asText(), u.username());
    }

    private WsTestClient callConnection(User u) throws Exception {
        WsTestClient c = WsTestClient.connect(server.callUri());
        open.add(c);
        JsonNode r = c.hello(u.token(), null, "/v1/call", "dev-key", "dev-secret");
        assertFalse(r.toString(), r.has("error"));
        return c;
    }

    private static String sdp(int port, String direction) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/SAVP 111 0 101\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=rtcp-mux\r\n"
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\na=" + direction + "\r\n";
    }

    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();

    /** Request ids are unique per user (docs/protocol.md 7.4), across the user's devices. */
    private static String rid() {
        return "r-" + IDS.incrementAndGet();
    }

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
    }

    private static String newCallId() {
        return "call-" + UUID.randomUUID();
    }

    private static JsonNode ok(JsonNode response) {
        assertFalse(response.toString(), response.has("error"));
        return response.path("data");
    }

    private static void assertError(JsonNode response, String code, String reason) {
        assertEquals(response.toString(), code, response.path("error").path("code").asText());
        assertEquals(response.toString(), reason, response.path("error").path("reason").asText());
    }

    private static JsonNode event(WsTestClient c, String type) throws InterruptedException {
        JsonNode e = c.nextEvent();
        assertEquals(e.toString(), type, e.path("event").asText());
        return e.path("data");
    }

    private static int mediaPort(String sdp) {
        Matcher m = MEDIA_PORT.matcher(sdp);
        assertTrue(sdp, m.find());
        return Integer.parseInt(m.group(1));
    }

    private JsonNode invite(WsTestClient c, String callId, User to, int port) throws Exception {
        return c.request("call.invite", rid(), obj().put("callId", callId).put("to", to.id())
                .put("sdp", sdp(port, "sendrecv")));
    }

    @Test
    public void aCallRingsIsAnsweredAndHungUpAndIsRecorded() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        String callId = newCallId();
        JsonNode accepted = ok(invite(a, callId, bob, 5004));
        assertEquals(45_000, accepted.path("ringTimeoutMs").asLong());

        JsonNode incoming = event(b, "call.incoming");
        assertEquals(callId, incoming.path("callId").asText());
        assertEquals(alice.id(), incoming.path("from").asText());
        assertFalse(incoming.path("waiting").asBoolean());
        String offered = incoming.path("sdp").asText();
        assertNotEquals("the callee is sent to the relay, not to the caller", 5004, mediaPort(offered));
        assertTrue(offered, offered.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAA"));

        ok(b.request("call.ringing", rid(), obj().put("callId", callId)));
        assertEquals(callId, event(a, "call.ringing").path("callId").asText());

        JsonNode answered = ok(b.request("call.answer", rid(), obj().put("callId", callId)
                .put("sdp", sdp(6004, "sendrecv")).put("device", "bob-phone")));
        assertTrue(answered.path("answeredAt").asLong() > 0);
        JsonNode toCaller = event(a, "call.answered");
        assertEquals("bob-phone", toCaller.path("device").asText());
        int callerLeg = mediaPort(toCaller.path("sdp").asText());
        assertNotEquals(6004, callerLeg);
        assertNotEquals(mediaPort(offered), callerLeg);
        assertEquals("bob-phone", event(b, "call.answered").path("device").asText());

        JsonNode active = ok(a.request("call.active", rid(), obj()));
        assertEquals(1, active.path("calls").size());
        assertEquals("ANSWERED", active.path("calls").get(0).path("state").asText());

        ok(a.request("call.hangup", rid(), obj().put("callId", callId)));
        for (WsTestClient c : List.of(a, b)) {
            JsonNode ended = event(c, "call.ended");
            assertEquals("HANGUP", ended.path("reason").asText());
            assertEquals(alice.id(), ended.path("by").asText());
        }
        // a repeated hang-up is harmless; the call is gone from the active list
        assertTrue(ok(b.request("call.hangup", rid(), obj().put("callId", callId))).path("alreadyEnded")
                .asBoolean());
        assertEquals(0, ok(a.request("call.active", rid(), obj())).path("calls").size());

        JsonNode log = ok(b.request("call.log", rid(), obj()));
        assertEquals(1, log.path("records").size());
        JsonNode record = log.path("records").get(0);
        assertEquals("INCOMING", record.path("direction").asText());
        assertEquals("HANGUP", record.path("endReason").asText());
        assertFalse(record.path("missed").asBoolean());
        assertTrue(record.has("durationMs"));
        assertEquals("OUTGOING", ok(a.request("call.log", rid(), obj())).path("records").get(0)
                .path("direction").asText());
    }

    @Test
    public void allDevicesRingTheFirstAnswerWinsAndTheOthersLearnIt() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        User bob2 = secondDevice(bob);
        WsTestClient a = callConnection(alice);
        WsTestClient b1 = callConnection(bob);
        WsTestClient b2 = callConnection(bob2);
        String callId = newCallId();
        ok(invite(a, callId, bob, 5004));
        event(b1, "call.incoming");
        event(b2, "call.incoming");
        ok(b1.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "sendrecv"))
                .put("device", "b1")));
        assertError(b2.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(7004, "sendrecv"))
                .put("device", "b2")), "CONFLICT", "ALREADY_ANSWERED");
        assertEquals("b1", event(b1, "call.answered").path("device").asText());
        assertEquals("b1", event(b2, "call.answered").path("device").asText());
        assertEquals("b1", event(a, "call.answered").path("device").asText());
    }

    @Test
    public void cancelStopsTheRingingOfEveryDeviceAndIsAMissedCall() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b1 = callConnection(bob);
        WsTestClient b2 = callConnection(secondDevice(bob));
        String callId = newCallId();
        ok(invite(a, callId, bob, 5004));
        event(b1, "call.incoming");
        event(b2, "call.incoming");
        assertError(b1.request("call.cancel", rid(), obj().put("callId", callId)), "UNAUTHORIZED", "NOT_CALLER");
        ok(a.request("call.cancel", rid(), obj().put("callId", callId)));
        for (WsTestClient c : List.of(a, b1, b2)) {
            assertEquals("CANCELLED", event(c, "call.ended").path("reason").asText());
        }
        assertError(b1.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "sendrecv"))),
                "CONFLICT", "CALL_ENDED");
        JsonNode record = ok(b2.request("call.log", rid(), obj())).path("records").get(0);
        assertTrue(record.toString(), record.path("missed").asBoolean());
        assertEquals("CANCELLED", record.path("endReason").asText());
    }

    @Test
    public void anUnansweredCallEndsAfterTheRingTimeout() throws Exception {
        start(defaults().withRingTimeout(Duration.ofMillis(300)));
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        String callId = newCallId();
        assertEquals(300, ok(invite(a, callId, bob, 5004)).path("ringTimeoutMs").asLong());
        event(b, "call.incoming");
        assertEquals("NO_ANSWER", event(a, "call.ended").path("reason").asText());
        JsonNode ended = event(b, "call.ended");
        assertEquals("NO_ANSWER", ended.path("reason").asText());
        assertFalse(ended.has("by"));
        assertTrue(ok(b.request("call.log", rid(), obj())).path("records").get(0).path("missed").asBoolean());
    }

    @Test
    public void theCalleeDeclinesOrIsBusyOrCannotAgree() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        for (String reason : List.of("DECLINED", "BUSY", "INCOMPATIBLE")) {
            String callId = newCallId();
            ok(invite(a, callId, bob, 5004));
            event(b, "call.incoming");
            assertError(a.request("call.reject", rid(), obj().put("callId", callId)), "UNAUTHORIZED", "NOT_CALLEE");
            ok(b.request("call.reject", rid(), obj().put("callId", callId).put("reason", reason)));
            JsonNode ended = event(a, "call.ended");
            assertEquals(reason, ended.path("reason").asText());
            assertEquals(bob.id(), ended.path("by").asText());
            event(b, "call.ended");
        }
        assertError(b.request("call.reject", rid(), obj().put("callId", newCallId()).put("reason", "BORED")),
                "INVALID_ARGUMENT", "BAD_FIELD");
    }

    @Test
    public void aCalleeInACallGetsTheNextCallAsWaiting() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        User carol = user("carol");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        WsTestClient c = callConnection(carol);
        answeredCall(a, b, bob);
        ok(invite(c, newCallId(), bob, 5008));
        assertTrue(event(b, "call.incoming").path("waiting").asBoolean());
    }

    @Test
    public void aCalleeInACallIsBusyWhenConfiguredSo() throws Exception {
        start(defaults().withBusyWhenInCall(true));
        User alice = user("alice");
        User bob = user("bob");
        User carol = user("carol");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        WsTestClient c = callConnection(carol);
        answeredCall(a, b, bob);
        String callId = newCallId();
        ok(invite(c, callId, bob, 5008));
        JsonNode ended = event(c, "call.ended");
        assertEquals("BUSY", ended.path("reason").asText());
        assertEquals(callId, ended.path("callId").asText());
        // bob's devices are not disturbed; his log shows the missed call
        JsonNode log = ok(b.request("call.log", rid(), obj())).path("records");
        assertEquals("BUSY", log.get(0).path("endReason").asText());
        assertTrue(log.get(0).path("missed").asBoolean());
    }

    private String answeredCall(WsTestClient a, WsTestClient b, User bob) throws Exception {
        String callId = newCallId();
        ok(invite(a, callId, bob, 5004));
        event(b, "call.incoming");
        ok(b.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "sendrecv"))));
        event(a, "call.answered");
        event(b, "call.answered");
        return callId;
    }

    @Test
    public void onlyTheCallsPartiesActOnItAndOnlyWithinTheirCarrier() throws Exception {
        Path apps = Files.createTempFile("apps", ".json");
        try {
            Files.writeString(apps, "{\"applications\":[{\"carrier\":\"m800.example\",\"applicationIdentifier\":"
                    + "\"com.example.call\",\"applicationKey\":\"example-key\",\"applicationSecret\":\"example-secret\","
                    + "\"developerKey\":\"example-dev\"}]}");
            temp.create();
            server = ReferenceServer.builder().port(0).dataDirectory(temp.newFolder("data").toPath())
                    .applicationsFile(apps).callSettings(defaults().withRelay("127.0.0.1", freeBase(), freeBase() + 199))
                    .build().start();
            open.add(server);
            http = HttpTestClient.dev(server);
            User alice = user("alice");
            User bob = user("bob");
            User mallory = user("mallory");
            JsonNode erin = new HttpTestClient(server.httpUri(), "example-key", "example-secret")
                    .signUp("erin", "erin-password");
            WsTestClient a = callConnection(alice);
            WsTestClient b = callConnection(bob);
            WsTestClient m = callConnection(mallory);

            assertError(a.request("call.invite", rid(), obj().put("callId", newCallId())
                    .put("to", erin.path("userId").asText()).put("sdp", sdp(5004, "sendrecv"))), "NOT_FOUND", "NO_SUCH_USER");
            assertError(a.request("call.invite", rid(), obj().put("callId", newCallId()).put("to", "u-nobody")
                    .put("sdp", sdp(5004, "sendrecv"))), "NOT_FOUND", "NO_SUCH_USER");
            assertError(a.request("call.invite", rid(), obj().put("callId", newCallId()).put("to", alice.id())
                    .put("sdp", sdp(5004, "sendrecv"))), "INVALID_ARGUMENT", "SELF_CALL");

            String callId = newCallId();
            ok(invite(a, callId, bob, 5004));
            event(b, "call.incoming");
            assertError(m.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(7004, "sendrecv"))),
                    "NOT_FOUND", "NO_SUCH_CALL");
            assertError(m.request("call.hangup", rid(), obj().put("callId", callId)), "NOT_FOUND", "NO_SUCH_CALL");
            assertError(m.request("call.ringing", rid(), obj().put("callId", callId)), "NOT_FOUND", "NO_SUCH_CALL");
            assertError(a.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(7004, "sendrecv"))),
                    "UNAUTHORIZED", "NOT_CALLEE");
            assertError(invite(m, callId, bob, 5004), "CONFLICT", "CALL_EXISTS");
            assertEquals(0, ok(m.request("call.active", rid(), obj())).path("calls").size());
            assertEquals(0, ok(m.request("call.log", rid(), obj())).path("records").size());
            // the call is untouched by all that
            ok(b.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "sendrecv"))));
            event(a, "call.answered");
            assertTrue(m.events.isEmpty());
        } finally {
            Files.deleteIfExists(apps);
        }
    }

    @Test
    public void aBlockedCallerIsNotToldAndTheCallRingsNowhere() throws Exception {
        start(defaults().withRingTimeout(Duration.ofMillis(500)));
        User bob = user("bob");
        User mallory = user("mallory");
        try (WsTestClient im = WsTestClient.loggedIn(server, bob.token(), null)) {
            ok(im.request("block.add", rid(), obj().put("userId", mallory.id())));
        }
        WsTestClient b = callConnection(bob);
        WsTestClient m = callConnection(mallory);
        String callId = newCallId();
        ok(invite(m, callId, bob, 5004));
        JsonNode ended = event(m, "call.ended");
        assertEquals(callId, ended.path("callId").asText());
        assertEquals("NO_ANSWER", ended.path("reason").asText());
        assertTrue("bob's devices never heard of it: " + b.events, b.events.isEmpty());
        assertEquals(0, ok(b.request("call.active", rid(), obj())).path("calls").size());
        assertEquals("not in bob's log", 0, ok(b.request("call.log", rid(), obj())).path("records").size());
        assertEquals("in mallory's", "NO_ANSWER", ok(m.request("call.log", rid(), obj())).path("records").get(0)
                .path("endReason").asText());
    }

    @Test
    public void badInputIsAClearErrorAndTheConnectionGoesOn() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        String[][] bad = {
            {"hello", "not <letter>=<value>"},
            {"o=- 1 1 IN IP4 127.0.0.1\r\n", "an SDP starts with v=0"},
            {"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "no m=audio line"},
            {"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 5004 RTP/SAVP 0\r\n", "no c= line"},
            {"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nm=video 5004 RTP/AVP 96\r\n",
                "m=audio <port>"},
            {"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nnot a line\r\n", "not <letter>=<value>"},
        };
        for (String[] c : bad) {
            JsonNode r = a.request("call.invite", rid(), obj().put("callId", newCallId()).put("to", bob.id())
                    .put("sdp", c[0]));
            assertError(r, "INVALID_ARGUMENT", "BAD_SDP");
            String message = r.path("error").path("message").asText();
            assertTrue(message, message.contains(c[1]));
        }
        assertError(a.request("call.invite", rid(), obj().put("to", bob.id()).put("sdp", sdp(5004, "sendrecv"))),
                "INVALID_ARGUMENT", "MISSING_FIELD");
        assertError(a.request("call.invite", rid(), obj().put("callId", "bad id!").put("to", bob.id())
                .put("sdp", sdp(5004, "sendrecv"))), "INVALID_ARGUMENT", "BAD_FIELD");
        assertTrue("nothing reached bob", b.events.isEmpty());
        // an answer with a malformed SDP leaves the call ringing; a good one then works
        String callId = newCallId();
        ok(invite(a, callId, bob, 5004));
        event(b, "call.incoming");
        assertError(b.request("call.answer", rid(), obj().put("callId", callId).put("sdp", "v=1")),
                "INVALID_ARGUMENT", "BAD_SDP");
        ok(b.request("call.answer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "sendrecv"))));
        event(a, "call.answered");
    }

    @Test
    public void holdAndResumeAreReOffersAnsweredByThePeer() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        String callId = answeredCall(a, b, bob);
        ok(a.request("call.reoffer", rid(), obj().put("callId", callId).put("sdp", sdp(5004, "sendonly"))));
        JsonNode reoffer = event(b, "call.reoffer");
        assertTrue(reoffer.path("sdp").asText().contains("a=sendonly"));
        assertEquals(alice.id(), reoffer.path("from").asText());
        // glare: bob cannot re-offer while alice's re-offer awaits his answer
        assertError(b.request("call.reoffer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "sendonly"))),
                "CONFLICT", "REOFFER_PENDING");
        assertError(a.request("call.reanswer", rid(), obj().put("callId", callId).put("sdp", sdp(5004, "recvonly"))),
                "CONFLICT", "NO_REOFFER");
        ok(b.request("call.reanswer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "recvonly"))));
        assertTrue(event(a, "call.reanswer").path("sdp").asText().contains("a=recvonly"));
        // resume
        ok(a.request("call.reoffer", rid(), obj().put("callId", callId).put("sdp", sdp(5004, "sendrecv"))));
        event(b, "call.reoffer");
        ok(b.request("call.reanswer", rid(), obj().put("callId", callId).put("sdp", sdp(6004, "sendrecv"))));
        event(a, "call.reanswer");
    }

    @Test
    public void aDeviceThatReconnectsLearnsWhatHappenedAndOnlyCallEventsComeOnTheCallEndpoint() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        String callId = newCallId();
        ok(invite(a, callId, bob, 5004));
        JsonNode first = b.nextEvent();
        long seq = first.path("seq").asLong();
        b.close();
        // while bob is away: a profile change (not a call event) and the caller's cancel
        try (WsTestClient im = WsTestClient.loggedIn(server, bob.token(), null)) {
            ok(im.request("profile.update", "p-1", obj().put("displayName", "Bobby")));
        }
        ok(a.request("call.cancel", rid(), obj().put("callId", callId)));
        WsTestClient again = WsTestClient.connect(server.callUri());
        open.add(again);
        ok(again.hello(bob.token(), seq, "/v1/call", "dev-key", "dev-secret"));
        JsonNode replayed = again.nextEvent();
        assertEquals("call.ended", replayed.path("event").asText());
        assertEquals("CANCELLED", replayed.path("data").path("reason").asText());
        assertTrue(replayed.path("seq").asLong() > seq + 1);
        // without a cursor the call endpoint starts at the head: nothing old is replayed
        WsTestClient fresh = callConnection(bob);
        assertEquals(0, ok(fresh.request("call.active", rid(), obj())).path("calls").size());
        assertTrue(fresh.events.isEmpty());
    }

    @Test
    public void theRelayForwardsBothWaysLatchesAndDropsForeignPackets() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        try (DatagramSocket aliceRtp = udp(); DatagramSocket bobRtp = udp(); DatagramSocket mallory = udp()) {
            String callId = newCallId();
            ok(a.request("call.invite", rid(), obj().put("callId", callId).put("to", bob.id())
                    .put("sdp", sdp(aliceRtp.getLocalPort(), "sendrecv"))));
            int calleeLeg = mediaPort(event(b, "call.incoming").path("sdp").asText());
            ok(b.request("call.answer", rid(), obj().put("callId", callId)
                    .put("sdp", sdp(bobRtp.getLocalPort(), "sendrecv"))));
            int callerLeg = mediaPort(event(a, "call.answered").path("sdp").asText());

            send(aliceRtp, callerLeg, "from alice 1");
            DatagramPacket atBob = receive(bobRtp);
            assertEquals("from alice 1", text(atBob));
            assertEquals("bob hears alice from his own relay port (symmetric)", calleeLeg, atBob.getPort());
            send(bobRtp, calleeLeg, "from bob 1");
            DatagramPacket atAlice = receive(aliceRtp);
            assertEquals("from bob 1", text(atAlice));
            assertEquals(callerLeg, atAlice.getPort());

            // a stranger sending to alice's leg (latched to alice) reaches nobody
            send(mallory, callerLeg, "spoofed");
            send(aliceRtp, callerLeg, "from alice 2");
            assertEquals("from alice 2", text(receive(bobRtp)));
            // the bytes pass untouched: an SRTP packet is opaque to the relay
            byte[] srtp = new byte[172];
            new java.util.Random(7).nextBytes(srtp);
            aliceRtp.send(new DatagramPacket(srtp, srtp.length, InetAddress.getLoopbackAddress(), callerLeg));
            DatagramPacket got = receive(bobRtp);
            assertEquals(172, got.getLength());
            assertTrue(java.util.Arrays.equals(srtp, java.util.Arrays.copyOf(got.getData(), got.getLength())));
        }
    }

    @Test
    public void aCallWithoutMediaEndsOnBothSidesAfterTheMediaTimeout() throws Exception {
        start(defaults().withMediaTimeout(Duration.ofMillis(600)));
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        answeredCall(a, b, bob);
        for (WsTestClient c : List.of(a, b)) {
            JsonNode ended = event(c, "call.ended");
            assertEquals("MEDIA_TIMEOUT", ended.path("reason").asText());
        }
        assertEquals("MEDIA_TIMEOUT", ok(a.request("call.log", rid(), obj())).path("records").get(0)
                .path("endReason").asText());
    }

    @Test
    public void theCallLogIsPagedNewestFirst() throws Exception {
        start(defaults());
        User alice = user("alice");
        User bob = user("bob");
        WsTestClient a = callConnection(alice);
        WsTestClient b = callConnection(bob);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String callId = "call-" + i;
            ids.add(0, callId);
            ok(invite(a, callId, bob, 5004));
            event(b, "call.incoming");
            ok(a.request("call.cancel", rid(), obj().put("callId", callId)));
            event(b, "call.ended");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            ObjectNode q = obj().put("limit", 2);
            if (cursor != null) {
                q.put("before", cursor);
            }
            JsonNode page = ok(b.request("call.log", rid(), q));
            page.path("records").forEach(r -> seen.add(r.path("callId").asText()));
            cursor = page.has("next") ? page.path("next").asText() : null;
        } while (cursor != null);
        assertEquals(ids, seen);
        assertError(b.request("call.log", rid(), obj().put("limit", 0)), "INVALID_ARGUMENT", "BAD_FIELD");
    }

    private static DatagramSocket udp() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WsTestClient.TIMEOUT_SECONDS));
        return s;
    }

    private static void send(DatagramSocket from, int port, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no packet within the timeout", e);
        }
        return p;
    }

    private static String text(DatagramPacket p) {
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
