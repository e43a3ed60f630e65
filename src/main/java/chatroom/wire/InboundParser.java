package chatroom.wire;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Map;

/**
 * Turns what a client sent into a message to post, or into the reason it is refused.
 * Validation is the same for both protocols; only chat.v1 frames may be JSON envelopes.
 */
public final class InboundParser {
    public static final int MAX_CID_LENGTH = 64;
    private static final int BRAILLE_BLANK = 0x2800;

    /** Looked up once: {@code Json.createReader} repeats the service lookup on every call. */
    private static final JsonReaderFactory READERS = JsonProvider.provider().createReaderFactory(Map.of());

    public sealed interface Result permits Post, Refusal {
        /** The client's id for the message, when it could be read: errors carry it back. */
        String cid();
    }

    public record Post(String text, String cid) implements Result {
    }

    public record Refusal(ErrorCode code, String message, String cid) implements Result {
    }

    private final int maxTextLength;

    public InboundParser(int maxTextLength) {
        this.maxTextLength = maxTextLength;
    }

    /** A plain client's frame is the text itself. */
    public Result plain(String frame) {
        return check(frame, null);
    }

    /** A chat.v1 frame is a JSON envelope, or bare text when it does not start with '{'. */
    public Result envelope(String frame) {
        if (!frame.stripLeading().startsWith("{")) {
            return check(frame, null);
        }
        JsonObject object;
        try (JsonReader reader = READERS.createReader(new StringReader(frame))) {
            object = reader.readObject();
        } catch (RuntimeException | StackOverflowError e) {
            // Not only JsonException: a parser meets input built to break it (nesting deep enough to exhaust a
            // limit or the stack, numbers no BigDecimal can hold), and whatever it throws is the client's fault.
            return new Refusal(ErrorCode.BAD_REQUEST, "malformed JSON", null);
        }
        // The cid first: every refusal of a readable envelope carries it, so the client knows which one failed.
        JsonValue cidValue = object.get("cid");
        String cid = null;
        if (cidValue != null && cidValue != JsonValue.NULL) {
            if (!(cidValue instanceof JsonString cidString) || cidString.getString().isEmpty()
                    || cidString.getString().length() > MAX_CID_LENGTH || !isEncodable(cidString.getString())) {
                return new Refusal(ErrorCode.BAD_REQUEST, "cid must be a string of 1-" + MAX_CID_LENGTH
                        + " characters", null);
            }
            cid = cidString.getString();
        }
        JsonValue type = object.get("type");
        if (!(type instanceof JsonString typeName) || !"message".equals(typeName.getString())) {
            return new Refusal(ErrorCode.BAD_REQUEST,
                    "unknown type: expected {\"type\":\"message\",\"text\":\"...\"}", cid);
        }
        if (!(object.get("text") instanceof JsonString text)) {
            return new Refusal(ErrorCode.BAD_REQUEST, "text must be a string", cid);
        }
        return check(text.getString(), cid);
    }

    private Result check(String text, String cid) {
        if (showsNothing(text)) {
            return new Refusal(ErrorCode.BAD_REQUEST, "empty message", cid);
        }
        if (!isEncodable(text)) {
            return new Refusal(ErrorCode.BAD_REQUEST, "text is not valid Unicode (a lone surrogate)", cid);
        }
        if (text.indexOf('\u0000') >= 0) {
            // Valid Unicode, but no PostgreSQL text column can store it: refused here rather than by the store.
            return new Refusal(ErrorCode.BAD_REQUEST, "text contains a NUL character", cid);
        }
        if (text.codePointCount(0, text.length()) > maxTextLength) {
            return new Refusal(ErrorCode.TOO_LONG, "message longer than " + maxTextLength + " characters", cid);
        }
        return new Post(text, cid);
    }

    /**
     * True when no character of the text would show: blanks of any kind (no-break and ideographic spaces
     * included), controls, and format and other default-ignorable characters (zero-width spaces and joiners,
     * word joiners, BOMs, the Mongolian vowel separator, variation selectors with nothing to vary, Hangul
     * fillers), and the blank Braille pattern, a symbol drawn as nothing. Such a message is an empty line in everyone's
     * list, so it is refused as a blank one is.
     */
    static boolean showsNothing(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.CONTROL
                || UCharacter.getType(c) == UCharacter.FORMAT
                || UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                || c == BRAILLE_BLANK);
    }

    /**
     * False for a string with an unpaired surrogate. A JSON escape such as {@code "\ud800"} decodes to one; no
     * UTF-8 encoding of it exists, so a container asked to send it fails the send (Tomcat closes the session with
     * 1011) or replaces it (Jetty): it must never enter the room, where it would poison every recipient.
     */
    static boolean isEncodable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
