package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Through the nickname POST: names the page draws alike are one name, and a name stays in its row. */
class NicknameDrawnAlikeIT extends ServerSuite {
    @Test
    void dashesAndDottedCapitalIMakeNoSecondName() {
        String tail = unique("").substring(1).replaceAll("[0-9]", "x");
        assertEquals(200, new WebSession(server).postNickname("İzmir" + tail).statusCode());
        assertTaken("izmir" + tail);
        assertTaken("IZMIR" + tail);
        assertEquals(200, new WebSession(server).postNickname("mary-jane" + tail).statusCode());
        for (String dash : List.of("\u2010", "\u2013", "\u2014", "\u1806", "\u30FC", "\uFE63")) {
            assertTaken("mary" + dash + "jane" + tail);
        }
    }

    @Test
    void guestLookAlikesWithAnyDashAndStackedMarksAreRefused() {
        for (String name
                : List.of("guest\u30FC1", "guest\u18061", "guest\u20131", "z\u0336\u0337\u0338" + unique("z"))) {
            HttpResponse<String> refused = new WebSession(server).postNickname(name);
            assertEquals(400, refused.statusCode(), name + ": " + refused.body());
        }
    }

    private void assertTaken(String name) {
        HttpResponse<String> refused = new WebSession(server).postNickname(name);
        assertEquals(409, refused.statusCode(), name + ": " + refused.body());
    }
}
