package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handshake and the nickname POST accept the page's own origin, no Origin and the allow-list; nothing else. */
class OriginCheckIT extends ServerSuite {
    static final String ALLOWED_ORIGIN = "http://allowed.example";


    @Override
    Map<String, String> sharedServerParams() {
        return Map.of("chat.origins.allowed", ALLOWED_ORIGIN);
    }

    @Test
    void handshakeFromAForeignOriginIsRefusedWith403AndMakesNoSession() {
        String evil = unique("evil");
        String marker = unique("mark");
        try (ChatClient observer = WebSession.joined(server, unique("obs"), null)) {
            int before = probe.health().getInt("connections");
            WebSession visitor = new WebSession(server).nickname(evil);
            for (String origin : List.of("http://evil.example", "http://127.0.0.1:1", "null")) {
                ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class,
                        () -> ChatClient.connect(
                        server.socketUri(null), ChatClient.options().chatV1().cookie(visitor.cookieHeader())
                        .origin(origin)));
                assertEquals(403, refused.status(), origin + ": " + refused);
            }
            // Not equal: a client of an earlier test may still be leaving.
            assertTrue(probe.health().getInt("connections") <= before, "no session was opened");
            try (ChatClient accepted = WebSession.joined(server, marker, null)) {
                observer.next(e -> {
                    assertFalse(ChatClient.names(e, "joined").contains(evil),
                            "the refused handshakes never joined the room");
                    return ChatClient.arrived(marker).test(e);
                });
            }
        }
    }

    @Test
    void sameOriginNoOriginAndAllowListedOriginsAreAccepted() {
        String sameOrigin = "http://127.0.0.1:" + server.port();
        for (String origin : Arrays.asList(sameOrigin, ALLOWED_ORIGIN, null)) {
            ChatClient.Options options = ChatClient.options().chatV1();
            if (origin != null) {
                options.origin(origin);
            }
            try (ChatClient client = ChatClient.connect(server.socketUri(null), options)) {
                assertEquals("welcome", client.next().getString("type"), "accepted with Origin " + origin);
            }
        }
    }

    @Test
    void nicknamePostFromAForeignOriginIsRefusedWith403() {
        HttpResponse<String> refused = new WebSession(server)
                .postNickname(unique("csrf"), "http://evil.example", "application/json");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("\"error\":\"forbidden_origin\""), refused.body());
        for (String origin : List.of("http://127.0.0.1:" + server.port(), ALLOWED_ORIGIN)) {
            assertEquals(200, new WebSession(server).postNickname(unique("ok"), origin, "application/json")
                    .statusCode(), origin);
        }
    }
}
