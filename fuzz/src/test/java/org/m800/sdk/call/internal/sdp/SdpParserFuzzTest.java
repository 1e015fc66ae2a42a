package org.m800.sdk.call.internal.sdp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.m800.sdk.core.M800Exception;

/**
 * The call bundle's SDP parser, which reads the far end's offer or answer: any text is parsed or
 * refused with an {@link M800Exception} (the call fails with PROTOCOL), nothing else.
 */
public class SdpParserFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void parse(FuzzedDataProvider data) {
        one(data);
    }

    /** One input; {@code AllDecodersFuzzTest} calls it too. */
    public static void one(FuzzedDataProvider data) {
        try {
            SdpParser.parse(data.consumeRemainingAsString());
        } catch (M800Exception refused) {
            // what is wrong, with the line
        }
    }
}
