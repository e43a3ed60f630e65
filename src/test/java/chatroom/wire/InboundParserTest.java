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
        for (String frame : new String[] {"{", "{\"type\":\"message\",\"text\":}", "{\"type\":\"typing\"}", "{\"text\":\"x\"}",
                "{\"type\":\"message\",\"text\":42}", "{\"type\":\"message\",\"text\":\"x\",\"cid\":\"" + "c".repeat(65) + "\"}"}) {
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
        assertEquals(ErrorCode.TOO_LONG, ((Refusal) parser.envelope("{\"type\":\"message\",\"text\":\"123456\"}")).code());
        assertEquals("c", parser.envelope("{\"type\":\"message\",\"text\":\"123456\",\"cid\":\"c\"}").cid());
    }

    @Test
    void lengthIsCountedInCharactersNotUtf16Units() {
        assertEquals(new Post("👋👋👋👋👋", null), parser.plain("👋👋👋👋👋"));
        assertEquals(ErrorCode.TOO_LONG, ((Refusal) parser.plain("👋👋👋👋👋👋")).code());
    }
}
