package org.m800.sdk.chat.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.internal.wire.Json;
import org.m800.sdk.core.internal.wire.WireErrors;

/**
 * The SDK's decoding of what the server sends: the core reads a frame (as
 * {@code WebSocketConnectService.onFrame} does: envelope, error, event fields) and chat decodes the
 * event's or answer's data with {@link ChatWire}. Any text is decoded or refused with an
 * {@link M800Exception} (reported as PROTOCOL, the connection goes on); anything else thrown would
 * escape into the SDK's I/O thread: that is a finding.
 */
public class EventDecodingFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void decode(FuzzedDataProvider input) {
        one(input);
    }

    /** One input; {@code AllDecodersFuzzTest} calls it too. */
    public static void one(FuzzedDataProvider input) {
        Map<String, Object> frame;
        try {
            frame = Json.readObject(input.consumeRemainingAsString());
        } catch (M800Exception refused) {
            return;
        }
        Json.text(frame, "type");
        Json.text(frame, "id");
        Json.text(frame, "event");
        Json.number(frame, "seq", -1);
        Json.number(frame, "ts", 0);
        Map<String, Object> error = Json.object(frame, "error");
        if (!error.isEmpty()) {
            WireErrors.toException(error);
            WireErrors.reason(error);
        }
        Map<String, Object> data = Json.object(frame, "data");
        decodeEveryWay(data);
    }

    private static void decodeEveryWay(Map<String, Object> data) {
        Runnable[] decoders = {
            () -> ChatWire.WireMessage.of(data).toMsg(),
            () -> ChatWire.SendAnswer.of(data),
            () -> ChatWire.Receipt.of(data),
            () -> ChatWire.Change.edited(data),
            () -> ChatWire.Change.deleted(data),
            () -> ChatWire.Change.reaction(data),
            () -> ChatWire.Typing.of(data),
            () -> ChatWire.WireConversation.of(data),
            () -> ChatWire.GroupUpdate.of(data),
            () -> ChatWire.conversations(data),
            () -> ChatWire.HistoryAnswer.of(data),
        };
        for (Runnable decoder : decoders) {
            try {
                decoder.run();
            } catch (M800Exception refused) {
                // PROTOCOL: the server sent something this SDK does not understand
            }
        }
    }
}
