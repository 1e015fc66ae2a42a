package org.m800.sdk.core.internal.wire;

import java.util.Collections;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** JSON text to and from plain Java values, with one shared, thread-safe mapper. */
public final class Json {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** @throws M800Exception INVALID_ARGUMENT if the value cannot be written as JSON */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw M800Exception.invalidArgument("cannot write as JSON: " + e.getOriginalMessage());
        }
    }

    /** @throws M800Exception PROTOCOL if the text is not one JSON object */
    public static Map<String, Object> readObject(String text) {
        try {
            Map<String, Object> map = MAPPER.readValue(text, MAP);
            if (map == null) {
                throw new M800Exception(ErrorCode.PROTOCOL, "expected a JSON object, got null");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new M800Exception(ErrorCode.PROTOCOL, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** @return the member as an object, or an empty map if absent or not an object */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Collections.emptyMap();
    }

    /** @return the member as text, or {@code null} */
    public static String text(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof String s ? s : null;
    }

    /** @return the member as a long, or the default */
    public static long number(Map<String, Object> map, String key, long defaultValue) {
        Object value = map.get(key);
        return value instanceof Number n ? n.longValue() : defaultValue;
    }
}
