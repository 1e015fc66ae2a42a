package org.m800.server.internal.call;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.m800.server.internal.wire.WireException;

/**
 * The server's SDP parser (docs/protocol.md 13.4), which reads what a caller offers and a callee
 * answers: any text is parsed or refused with a {@link WireException}, nothing else.
 */
public class ServerSdpFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void parse(FuzzedDataProvider data) {
        one(data);
    }

    /** One input; {@code AllDecodersFuzzTest} calls it too. */
    public static void one(FuzzedDataProvider data) {
        try {
            Sdp.parse(data.consumeRemainingAsString(), "sdp");
        } catch (WireException refused) {
            // refused with what is wrong
        }
    }
}
