package chatroom.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.wire.InboundParser.Post;
import chatroom.wire.InboundParser.Refusal;
import org.junit.jupiter.api.Test;

class InboundParserTest {
    private final InboundParser parser = new InboundParser(5);

    @Test
    void envelopeWithTextAndCidIsAPost() {
        assertEquals(new Post("hi", "c-1"), parser.envelope("{\"type\":\"message\",\"text\":\"hi\",\"cid\":\"c-1\"}"));
        assertEquals(new Post("hi", null), parser.envelope("{\"type\":\"message\",\"text\":\"hi\"}"));
    }

    @Test
    void bareTextIsAcceptedAsAMessageInBothProtocols() {
        assertEquals(new Post("hello", null), parser.envelope("hello"));
        assertEquals(new Post("{oops", null), parser.plain("{oops"));
    }

    @Test
    void malformedJsonAndUnknownTypesAreBadRequests() {
        for (String frame
                : new String[] {"{", "{\"type\":\"message\",\"text\":}", "{\"type\":\"typing\"}", "{\"text\":\"x\"}",
                "{\"type\":\"message\",\"text\":42}", "{\"type\":\"message\",\"text\":\"x\",\"cid\":\""
                + "c".repeat(65) + "\"}"}) {
            assertEquals(ErrorCode.BAD_REQUEST, ((Refusal) parser.envelope(frame)).code(), frame);
        }
    }

    @Test
    void unknownTypeIsRefusedWithTheCidKept() {
        assertEquals("u-1", parser.envelope("{\"type\":\"typing\",\"cid\":\"u-1\"}").cid());
        assertEquals("t-1", parser.envelope("{\"cid\":\"t-1\",\"text\":\"no type\"}").cid());
    }

    @Test
    void blankIsABadRequestAndTooLongIsTooLongWithTheCidKept() {
        assertEquals(new Refusal(ErrorCode.BAD_REQUEST, "empty message", "c"),
                parser.envelope("{\"type\":\"message\",\"text\":\"  \",\"cid\":\"c\"}"));
        assertEquals(ErrorCode.TOO_LONG,
                ((Refusal) parser.envelope("{\"type\":\"message\",\"text\":\"123456\"}")).code());
        assertEquals("c", parser.envelope("{\"type\":\"message\",\"text\":\"123456\",\"cid\":\"c\"}").cid());
    }

    @Test
    void lengthIsCountedInCharactersNotUtf16Units() {
        assertEquals(new Post("👋👋👋👋👋", null), parser.plain("👋👋👋👋👋"));
        assertEquals(ErrorCode.TOO_LONG, ((Refusal) parser.plain("👋👋👋👋👋👋")).code());
    }

    @Test
    void loneSurrogatesInTextOrCidAreBadRequests() {
        for (String frame : new String[] {"{\"type\":\"message\",\"text\":\"a\\ud800b\"}",
                "{\"type\":\"message\",\"text\":\"a\\udc00\"}", "{\"type\":\"message\",\"text\":\"\\ude00\\ud83d\"}",
                "{\"type\":\"message\",\"text\":\"ok\",\"cid\":\"\\ud800\"}"}) {
            assertEquals(ErrorCode.BAD_REQUEST, ((Refusal) parser.envelope(frame)).code(), frame);
        }
        assertEquals(ErrorCode.BAD_REQUEST, ((Refusal) parser.plain("a\ud800")).code());
        assertEquals(new Post("\ud83d\ude00", "c"),
                parser.envelope("{\"type\":\"message\",\"text\":\"\\ud83d\\ude00\",\"cid\":\"c\"}"),
                "a pair written as two escapes is one emoji");
    }

    @Test
    void inputBuiltToBreakTheJsonParserIsABadRequest() {
        String prefix = "{\"type\":\"message\",\"text\":\"x\",\"v\":";
        for (String value
                : new String[] {"[".repeat(3000) + "]".repeat(3000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000),
                "1e999999999999", "1" + "0".repeat(7000), "-" + "9".repeat(7000) + ".5e-99999999999"}) {
            assertEquals(ErrorCode.BAD_REQUEST, ((Refusal) parser.envelope(prefix + value + "}")).code(),
                    value.substring(0, 10));
        }
    }

    @Test
    void aNulCharacterIsABadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST,
                ((Refusal) parser.envelope("{\"type\":\"message\",\"text\":\"a\\u0000b\"}")).code());
        assertEquals(ErrorCode.BAD_REQUEST, ((Refusal) parser.plain("a\u0000")).code());
    }
}
