package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both containers listening on {@code [::1]}: the peer address each reports for an IPv6 client (Tomcat and Jetty
 * spell it differently) becomes a client key, and the per-client limits hold for it as for IPv4. The /64 itself is
 * shown over a trusted proxy in ClientTrackerIT, since loopback offers one IPv6 address only.
 */
class Ipv6LoopbackIT extends ServerSuite {
    static final int CLAIM_BURST = 3;
    static final int CAP = 2;

    @Override
    Map<String, String> sharedServerParams() {
        return Map.of(ChatServer.LISTEN_ON, "::1",
                "chat.nickname.claimBurst", String.valueOf(CLAIM_BURST),
                "chat.nickname.claimsPerMinute", "1",
                "chat.connections.perAddress", String.valueOf(CAP));
    }

    @Test
    void anIpv6ClientHasOneClaimBudget() {
        assertEquals("[::1]", server.pageUri().getHost());
        for (int i = 0; i < CLAIM_BURST; i++) {
            assertEquals(200, new WebSession(server).postNickname(unique("six")).statusCode(), "claim " + i);
        }
        assertEquals(429, new WebSession(server).postNickname(unique("six")).statusCode());
    }

    @Test
    void anIpv6ClientHoldsAtMostItsCapOfConnections() {
        try (ChatClient first = guest();
             ChatClient second = guest()) {
            // Each in the room (its welcome read), so the handshake below sees both counted.
            assertEquals("welcome", first.next().getString("type"));
            assertEquals("welcome", second.next().getString("type"));
            ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class,
                    () -> ChatClient.plain(server).close());
            assertEquals(403, refused.status());
        }
    }

    private ChatClient guest() {
        return ChatClient.connect(server.socketUri(null), ChatClient.options().chatV1());
    }
}
