package org.m800.sdk.core.internal.connect;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Frames are written as version 1 and carry the connection's negotiated version when sent (docs/protocol.md 7.7). */
public class FrameVersionTest {
    @Test
    public void aVersionOneFrameIsRewrittenForVersionTwo() {
        assertEquals("{\"v\":2,\"type\":\"ack\",\"seq\":7}", Connection.forVersion("{\"v\":1,\"type\":\"ack\",\"seq\":7}", 2));
        // only the leading envelope field: a "v":1 inside the data stays
        assertEquals("{\"v\":2,\"type\":\"x\",\"data\":{\"v\":1}}",
                Connection.forVersion("{\"v\":1,\"type\":\"x\",\"data\":{\"v\":1}}", 2));
        assertEquals("not an envelope", Connection.forVersion("not an envelope", 2));
    }

    @Test
    public void theHelloOffersBothVersionsInAVersionOneFrame() {
        assertEquals(java.util.List.of(1, 2), Hello.VERSIONS);
        assertEquals(1, Hello.PROTOCOL_VERSION);
    }
}
