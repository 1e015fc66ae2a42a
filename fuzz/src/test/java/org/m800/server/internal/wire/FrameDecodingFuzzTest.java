package org.m800.server.internal.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The server's decoding of a WebSocket frame or an HTTP JSON body: any text is either refused with a
 * {@link WireException} (answered as an error) or read into an object whose fields the handlers then
 * read with {@link Fields}, which refuse bad values with a WireException too. Anything else thrown (a
 * RuntimeException from Jackson, a NullPointerException) would close the connection as a server error:
 * that is a finding.
 */
public class FrameDecodingFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void decode(FuzzedDataProvider data) {
        one(data);
    }

    /** One input; {@code AllDecodersFuzzTest} calls it too. */
    public static void one(FuzzedDataProvider data) {
        String field = data.consumeString(12);
        String text = data.consumeRemainingAsString();
        ObjectNode frame;
        try {
            frame = Json.parseObject(text);
        } catch (WireException refused) {
            return;
        }
        readLikeAHandler(frame, "type");
        readLikeAHandler(frame, "id");
        readLikeAHandler(frame, field);
        JsonNode data2 = frame.get("data");
        if (data2 instanceof ObjectNode d) {
            readLikeAHandler(d, field);
            readLikeAHandler(d, "text");
        }
        // what the server writes back must be readable again
        Json.read(Json.write(frame));
    }

    private static void readLikeAHandler(ObjectNode o, String field) {
        try {
            Fields.optionalText(o, field, 0, 64, null);
        } catch (WireException expected) {
            // refused: the client is told what is wrong
        }
        try {
            Fields.optionalNonNegativeLong(o, field);
        } catch (WireException expected) {
            // refused
        }
        try {
            Fields.requiredObject(o, field);
        } catch (WireException expected) {
            // refused
        }
    }
}
