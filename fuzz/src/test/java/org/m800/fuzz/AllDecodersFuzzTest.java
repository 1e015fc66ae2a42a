package org.m800.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.m800.sdk.call.internal.sdp.SdpParserFuzzTest;
import org.m800.sdk.chat.internal.EventDecodingFuzzTest;
import org.m800.server.internal.call.ServerSdpFuzzTest;
import org.m800.server.internal.files.TusHeadersFuzzTest;
import org.m800.server.internal.wire.FrameDecodingFuzzTest;

/**
 * Every target in one: the first byte of an input picks the decoder. Jazzer fuzzes one target per JVM
 * and a JVM with Jazzer's instrumentation takes some 20 s to start on a busy machine, so {@code mvn
 * verify} fuzzes this one (in one JVM, briefly) and replays the inputs of every single target;
 * {@code -Pfuzz-long} fuzzes each target in a JVM of its own, for minutes.
 */
class AllDecodersFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void decode(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 4)) {
            case 0 -> FrameDecodingFuzzTest.one(data);
            case 1 -> EventDecodingFuzzTest.one(data);
            case 2 -> ServerSdpFuzzTest.one(data);
            case 3 -> SdpParserFuzzTest.one(data);
            default -> TusHeadersFuzzTest.one(data);
        }
    }
}
