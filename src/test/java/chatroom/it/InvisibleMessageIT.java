package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.testing.ChatClient;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A message that shows nothing is refused as a blank one: chat.v1 gets bad_request with its cid, plain ones are
 * dropped.
 */
class InvisibleMessageIT extends ServerSuite {
    private static final List<String> INVISIBLE = List.of("\u200B", "\u2060\u2060", "\uFEFF", "\u180E", "\uFE0F",
            "\u200B \u00A0\u3164");

    @Test
    void aChatV1MessageOfInvisibleCharactersIsABadRequestAndReachesNobody() {
        try (ChatClient sender = WebSession.joined(server, unique("sender"), null);
             ChatClient reader = WebSession.joined(server, unique("reader"), null)) {
            for (int i = 0; i < INVISIBLE.size(); i++) {
                sender.send(ChatClient.envelope(INVISIBLE.get(i), "c-" + i));
                JsonObject error = sender.next("error");
                assertEquals("bad_request", error.getString("code"));
                assertEquals("c-" + i, error.getString("cid"));
            }
            String visible = unique("visible");
            sender.send(ChatClient.envelope(visible, "c-visible"));
            assertEquals(visible, reader.next("message").getString("text"),
                    "the first message the reader gets is the visible one");
        }
    }

    @Test
    void aPlainMessageOfInvisibleCharactersIsDropped() {
        try (ChatClient plain = ChatClient.plain(server)) {
            for (String text : INVISIBLE) {
                plain.send(text);
            }
            String visible = unique("visible");
            plain.send(visible);
            assertEquals(visible, plain.nextFrame(), "nothing before the visible message");
        }
    }
}
