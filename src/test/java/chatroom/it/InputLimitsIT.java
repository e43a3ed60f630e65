package chatroom.it;

import static chatroom.it.Refusals.assertError;
import static chatroom.it.ServerSuite.unique;
import static chatroom.testing.ChatClient.envelope;
import static chatroom.testing.ChatClient.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input the server refuses: oversize, binary, malformed, unencodable, deeply nested and too long. A refused frame
 * closes the connection only where the design says so; otherwise it is answered and the connection stays, and
 * nobody else notices.
 */
class InputLimitsIT extends ServerSuite {
    /** web.xml's defaults, which the shared server keeps. */
    static final int MAX_MESSAGE_BYTES = 8192;
    static final int MAX_TEXT_LENGTH = 2000;

    @Test
    void frameOverTheSizeLimitIsClosedWith1009ButOneAtTheLimitIsNot() {
        try (ChatClient client = WebSession.joined(server, unique("big"), null)) {
            // Exactly at the limit passes the size check and is refused as text (far over 2000 characters).
            client.send("x".repeat(MAX_MESSAGE_BYTES));
            assertError(client.next("error"), "too_long", null);
            // One byte more, counted in UTF-8: 8190 ASCII + 'é' (2 bytes) = 8192 is fine, + one more byte is not.
            client.send("y".repeat(MAX_MESSAGE_BYTES - 2) + "é" + "y");
            ChatClient.Closed closed = client.awaitClose();
            assertEquals(1009, closed.code(), closed.toString());
        }
    }

    @Test
    void binaryFrameIsClosedWith1003() {
        try (ChatClient client = WebSession.joined(server, unique("bin"), null)) {
            client.sendBinary(new byte[] {1, 2, 3});
            ChatClient.Closed closed = client.awaitClose();
            assertEquals(1003, closed.code(), closed.toString());
        }
    }

    @Test
    void binaryFrameLargerThanItsSmallBufferIsClosedWith1009() {
        // Sessions start with small buffers (IdleBuffers): a binary frame past 1 KiB is cut by the container itself.
        String tooBig = "chat_closes_total{reason=\"too_big\"}";
        double before = probe.metrics().getOrDefault(tooBig, 0.0);
        try (ChatClient client = WebSession.joined(server, unique("bin"), null)) {
            client.sendBinary(new byte[4096]);
            ChatClient.Closed closed = client.awaitClose();
            // Tomcat closes the socket with the rest of the frame unread, so the kernel may answer with a reset that
            // reaches the client before the close frame (1006): the server's own count says which close it sent.
            assertTrue(closed.code() == 1009 || closed.code() == 1006, closed.toString());
            probe.awaitMetric(tooBig, count -> count >= before + 1, Duration.ofSeconds(5));
        }
    }

    @Test
    void malformedUnknownOrEmptyEnvelopesGetBadRequestAndTheConnectionStays() {
        try (ChatClient observer = WebSession.joined(server, unique("obs"),
                null); ChatClient sender = WebSession.joined(server, unique("bad"), null)) {
            record Case(String frame, String cid) {
            }
            List<Case> cases = List.of(
                    new Case("{\"type\":\"message\",\"text\":", null),
                    new Case("{\"type\":\"typing\",\"cid\":\"u-1\"}", "u-1"),
                    new Case(envelope("", "e-1"), "e-1"),
                    new Case(envelope(" \t ", "e-2"), "e-2"),
                    new Case("   ", null));
            for (Case refused : cases) {
                sender.send(refused.frame());
                assertError(sender.next("error"), "bad_request", refused.cid());
            }
            String ok = unique("still-here");
            sender.send(envelope(ok, "ok-1"));
            JsonObject delivered = observer.next("message");
            assertEquals(ok, delivered.getString("text"), "nothing refused was broadcast; the next message is");
            assertEquals("ok-1", delivered.getString("cid"));
            assertFalse(sender.isClosed());
        }
    }

    /**
     * A lone surrogate written as a JSON escape is valid JSON, but no UTF-8 encoding of it exists: broadcast, it
     * made every send fail on Tomcat (every member closed with 1011, and again on every resume while it stayed
     * in history). It must be refused at the door, and nobody else may notice.
     */
    @Test
    void textThatCannotBeEncodedIsRefusedAndFiftyMembersStayOpen() {
        List<ChatClient> room = new ArrayList<>();
        try (ChatClient sender = WebSession.joined(server, unique("poison"), null)) {
            for (int i = 0; i < 25; i++) {
                room.add(plain(server));
                ChatClient guest = ChatClient.connect(server.socketUri(null), ChatClient.options().chatV1());
                room.add(guest);
                guest.next("welcome");
            }
            String ready = unique("ready");
            sender.send(envelope(ready, "ready-1"));
            long readyId = sender.next("message").getJsonNumber("id").longValue();
            room.forEach(member -> assertEquals(ready, textOf(member), "every member is in the room"));

            sender.send("{\"type\":\"message\",\"text\":\"a\\ud800b\",\"cid\":\"p-1\"}");
            assertError(sender.next("error"), "bad_request", "p-1");
            sender.send("{\"type\":\"message\",\"text\":\"fine\",\"cid\":\"\\udc00\"}");
            assertError(sender.next("error"), "bad_request", null);

            String after = unique("after");
            sender.send(envelope(after, "after-1"));
            for (ChatClient member : room) {
                assertEquals(after, textOf(member),
                        "the next message reaches everyone, and nothing poisoned came first");
                assertFalse(member.isClosed(), "no member was closed");
            }
            // A page reconnecting from before the poison gets what was accepted since, and stays open.
            try (ChatClient resumed = ChatClient.connect(server.socketUri("since=" + readyId), ChatClient.options()
                    .chatV1())) {
                resumed.next("welcome");
                assertEquals(after, resumed.next("message").getString("text"));
                assertFalse(resumed.isClosed());
            }
        } finally {
            room.forEach(ChatClient::close);
        }
    }

    /** Parser edge cases that once escaped as exceptions: each is a bad_request, and the connection stays. */
    @Test
    void deeplyNestedJsonAndHugeNumbersAreBadRequestsAndTheConnectionStays() {
        try (ChatClient observer = WebSession.joined(server, unique("obs"),
                null); ChatClient sender = WebSession.joined(server, unique("deep"), null)) {
            int depth = 3000; // 6 KB of brackets: under the frame limit, far over any sane nesting
            List<String> frames = List.of(
                    "{\"type\":\"message\",\"text\":\"x\",\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
                    "{\"type\":\"message\",\"text\":\"x\",\"n\":1" + "0".repeat(7000) + "}",
                    "{\"type\":\"message\",\"text\":\"x\",\"n\":1e999999999999}");
            for (String frame : frames) {
                sender.send(frame);
                assertEquals("bad_request", sender.next("error").getString("code"),
                        frame.substring(0, Math.min(60, frame.length())));
            }
            String ok = unique("after-deep");
            sender.send(envelope(ok, "d-1"));
            assertEquals(ok, observer.next("message").getString("text"));
            assertFalse(sender.isClosed());
        }
    }

    /** The text a member received next: a plain member's frame, or a chat.v1 member's next message. */
    private static String textOf(ChatClient member) {
        return member.subprotocol().isEmpty() ? member.nextFrame() : member.next("message").getString("text");
    }

    @Test
    void textOverTheLengthLimitGetsTooLongWithItsCidAndTheConnectionStays() {
        try (ChatClient observer = WebSession.joined(server, unique("obs"),
                null); ChatClient sender = WebSession.joined(server, unique("long"), null)) {
            sender.send(envelope("a".repeat(MAX_TEXT_LENGTH + 1), "long-1"));
            assertError(sender.next("error"), "too_long", "long-1");
            String atTheLimit = "b".repeat(MAX_TEXT_LENGTH);
            sender.send(envelope(atTheLimit, "limit-1"));
            JsonObject delivered = observer.next("message");
            assertEquals(atTheLimit, delivered.getString("text"), "2000 characters is fine and comes next");
            assertEquals("limit-1", delivered.getString("cid"));
        }
    }

    @Test
    void plainTooLongOrBlankTextIsDroppedSilentlyAndTheConnectionStays() {
        try (ChatClient observer = plain(server); ChatClient sender = plain(server)) {
            sender.send("a".repeat(MAX_TEXT_LENGTH + 1));
            sender.send("  ");
            String ok = unique("plain-ok");
            sender.send(ok);
            assertEquals(ok, sender.nextFrame(),
                    "no error, no notice, no echo of the dropped ones: plain sees messages only");
            assertEquals(ok, observer.nextFrame());
        }
    }
}
