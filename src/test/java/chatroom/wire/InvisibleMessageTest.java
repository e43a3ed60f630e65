package chatroom.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.wire.InboundParser.Post;
import chatroom.wire.InboundParser.Refusal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message that would show as an empty line is refused as a blank one is, in both protocols. */
class InvisibleMessageTest {
    private final InboundParser parser = new InboundParser(2000);
    private static final Refusal BLANK = new Refusal(ErrorCode.BAD_REQUEST, "empty message", null);

    @Test
    void onlyInvisibleCharactersIsAnEmptyMessage() {
        for (String text : List.of("\u200B", "\u2060", "\uFEFF", "\u180E", "\uFE0F", "\uFE0E\uFE0F", "\uDB40\uDD00",
                "\u200B \u200C\u200D", "\u00A0", "\u3000", "\u202F\u2007", "\u3164", "\u115F\u1160", "\u00AD",
                "\u2066\u2069", "\u202E", "\u2800", "\u0001\u007F", " \u200B\t\n\uFEFF ")) {
            assertEquals(BLANK, parser.plain(text), codes(text));
            assertEquals(BLANK, parser.envelope(text), codes(text));
        }
    }

    @Test
    void invisibleCharactersNextToVisibleOnesAreKept() {
        for (String text : List.of("a\u200Bb", "\u2764\uFE0F", "\u200Bx", "\u3164\u3164.", "\u2800x")) {
            assertEquals(new Post(text, null), parser.plain(text), codes(text));
        }
    }

    @Test
    void theRefusalCarriesTheCid() {
        assertEquals(new Refusal(ErrorCode.BAD_REQUEST, "empty message", "c-9"),
                parser.envelope("{\"type\":\"message\",\"text\":\"\\u200b\\u2060\",\"cid\":\"c-9\"}"));
    }

    private static String codes(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(String.format("U+%04X ", c)));
        return out.toString().trim();
    }
}
