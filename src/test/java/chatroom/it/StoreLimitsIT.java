package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.RawWebSocket;
import chatroom.testing.ServerProbe;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients cannot fill the store's disk: what one client may make the server store in a day is bounded, and below
 * the free-space threshold the room refuses new messages, says why in /health, and keeps what it stored. (The
 * default retention, a bound on the store's size, has its unit test in FreeSpaceWatchTest: no container needed.)
 */
class StoreLimitsIT extends ServerSuite {
    /** Room for two messages of 1000 characters (each costs its text, name, cid and a row's overhead). */
    static final int BYTES_PER_DAY = 3000;

    @TempDir
    Path storeDir;

    @Override
    Map<String, String> sharedServerParams() {
        return Map.of("chat.store.bytesPerClientPerDay", String.valueOf(BYTES_PER_DAY));
    }

    @Test
    void aClientStoresAtMostItsBytesPerDayThenIsRefusedAndOthersAreNot() throws Exception {
        ServerProbe probe = new ServerProbe(server);
        String text = "x".repeat(1000);
        try (ChatClient alice = WebSession.joined(server, unique("alice"), null)) {
            for (int i = 0; i < 4; i++) {
                alice.send(ChatClient.envelope(text, "c" + i));
            }
            Map<String, String> outcome = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                JsonObject answer = alice.next(e -> e.getString("type").equals("message") || e.getString("type")
                        .equals("error"));
                outcome.put(answer.getString("cid"), answer.getString("type").equals("error")
                        ? answer.getString("code") : "stored");
            }
            assertEquals(Map.of("c0", "stored", "c1", "stored", "c2", "rate_limited", "c3", "rate_limited"), outcome);

            // A plain client at the same address: its message is dropped, silently, and counted.
            double limited = probe.metric("chat_messages_rate_limited_total");
            try (ChatClient plain = ChatClient.plain(server)) {
                plain.send("dropped " + text);
                probe.awaitMetric("chat_messages_rate_limited_total", v -> v > limited, ChatClient.WAIT);
            }
            // Another address has a day of its own; and the dropped message never reached anyone before it.
            try (RawWebSocket elsewhere = RawWebSocket.connect(server.socketUri(null),
                    InetAddress.getByName("127.0.0.2"), 0)) {
                elsewhere.sendText("from elsewhere");
                JsonObject next = alice.next(e -> e.getString("type").equals("message"));
                assertEquals("from elsewhere", next.getString("text"));
            }
        }
    }

    @Test
    void belowTheFreeSpaceThresholdNewMessagesAreRefusedAndHealthSaysWhy() throws Exception {
        String dir = storeDir.toString();
        try (ChatServer before = start(Map.of("chat.store.dir", dir));
             ChatClient alice = WebSession.joined(before, unique("alice"), null)) {
            alice.send(ChatClient.envelope("stored before", "k1"));
            assertEquals("stored before", alice.next(e -> e.getString("type").equals("message")).getString("text"));
        }
        // The threshold above any volume's usable space: the disk counts as full, without filling the real one.
        try (ChatServer full = start(Map.of("chat.store.dir", dir, "chat.store.minFreeBytes",
                String.valueOf(Long.MAX_VALUE)));
             ChatClient bob = WebSession.joined(full, unique("bob"), null)) {
            JsonObject health = new ServerProbe(full).health();
            assertEquals("full", health.getString("store"), health.toString());
            assertTrue(health.getString("storeProblem").contains("chat.store.minFreeBytes"), health.toString());

            bob.send(ChatClient.envelope("refused while full", "k2"));
            JsonObject answer = bob.next(e -> e.getString("type").equals("message") || e.getString("type")
                    .equals("error"));
            assertEquals("error", answer.getString("type"), answer.toString());
            assertEquals("unavailable", answer.getString("code"));
            assertEquals("k2", answer.getString("cid"));

            String page = new WebSession(full).getPage().body();
            assertTrue(page.contains("stored before"), "what was stored is still served");
            assertFalse(page.contains("refused while full"));
        }
    }
}
