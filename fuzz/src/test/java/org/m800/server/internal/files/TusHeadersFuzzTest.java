package org.m800.server.internal.files;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The tus and download headers the file endpoints parse (docs/protocol.md 12.2, 12.3):
 * {@code Upload-Metadata} and {@code Range}. Any header is parsed or refused with the endpoint's own
 * exception (answered 400 / 416), nothing else; a parsed range lies within the file.
 */
public class TusHeadersFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void parse(FuzzedDataProvider data) {
        one(data);
    }

    /** One input; {@code AllDecodersFuzzTest} calls it too. */
    public static void one(FuzzedDataProvider data) {
        long size = data.consumeLong(0, Long.MAX_VALUE);
        String range = data.consumeString(200);
        String metadata = data.consumeRemainingAsString();
        try {
            UploadMetadata.parse(metadata);
        } catch (FileHttpException refused) {
            // 400 with what is wrong
        }
        try {
            ByteRange r = ByteRange.parse(range, size);
            if (r != null && (r.first() < 0 || r.last() < r.first() || r.last() >= size)) {
                throw new AssertionError("range " + r + " of '" + range + "' is outside a file of " + size + " bytes");
            }
        } catch (ByteRange.Unsatisfiable refused) {
            // 416
        }
    }
}
