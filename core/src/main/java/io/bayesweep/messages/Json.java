package io.bayesweep.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one JSON mapping of every message, so that producers and consumers agree byte for byte. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Newer producers may add fields; old consumers must still read the message.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    public static byte[] toBytes(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String toString(Object message) {
        return new String(toBytes(message), StandardCharsets.UTF_8);
    }

    /**
     * Reads a message; a malformed one throws {@link MalformedMessageException} naming the type
     * and what is wrong, which consumers send to a dead-letter topic.
     */
    public static <T> T fromBytes(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new MalformedMessageException(type.getSimpleName() + ": empty record value");
        }
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new MalformedMessageException(type.getSimpleName() + ": null record value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException(type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedMessageException(type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
