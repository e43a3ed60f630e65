package chatroom.it;

import static chatroom.it.Refusals.assertError;
import static chatroom.it.ServerSuite.unique;
import static chatroom.testing.ChatClient.envelope;
import static chatroom.testing.ChatClient.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.ServerProbe;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What /health and /metrics say, counted exactly on a fresh server of its own (its counters start at zero). */
class HealthAndMetricsIT extends ContainerSuite {
    static final int MAX_MESSAGE_BYTES = InputLimitsIT.MAX_MESSAGE_BYTES;
    static final int MAX_TEXT_LENGTH = InputLimitsIT.MAX_TEXT_LENGTH;

    @Test
    void healthAndMetricsCountExactlyWhatHappenedOnAFreshServer() {
        // Four messages at once and no more: the fifth of a quick run is rate limited.
        // Presence held back for ten minutes: the only presence frame is the first, sent at once, so the delivery
        // count is exact whatever the timing.
        try (ChatServer fresh = start(Map.of("chat.rate.perSecond", "1", "chat.rate.burst", "4",
                "chat.presence.intervalMillis", "600000"))) {
            ServerProbe figures = new ServerProbe(fresh);
            // A fresh room's ids start after its start time in microseconds (so they grow across restarts).
            long start = figures.health().getJsonNumber("lastId").longValue();
            assertTrue(start > 0, "ids start above 0");
            assertEquals(Json.createObjectBuilder().add("status", "up").add("connections", 0).add("rooms", 1)
                    .add("lastId", start).add("historySize", 0).add("store", "up").build(), figures.health());
            String alice = unique("alice");
            try (ChatClient a = WebSession.joined(fresh, alice, null); ChatClient b = plain(fresh)) {
                assertEquals(1, a.next("presence").getInt("online"), "a's own arrival, at once in a quiet room");
                a.send(envelope("one", "c1"));
                a.send(envelope("two", "c2"));
                a.send(envelope("one again", "c1"));   // duplicate: a gets the original back, nobody else
                a.send(envelope("x".repeat(MAX_TEXT_LENGTH + 1), "c3")); // refused
                a.send(envelope("five", "c5"));        // the bucket is empty: rate limited
                // Refusals are answered at once; accepted messages once stored: the two kinds may interleave.
                List<JsonObject> messages = new ArrayList<>();
                List<JsonObject> errors = new ArrayList<>();
                while (messages.size() < 3 || errors.size() < 2) {
                    JsonObject envelope = a.next(e -> Set.of("message", "error").contains(e.getString("type")));
                    (envelope.getString("type").equals("message") ? messages : errors).add(envelope);
                }
                assertEquals(start + 1, messages.get(0).getJsonNumber("id").longValue());
                assertEquals(start + 2, messages.get(1).getJsonNumber("id").longValue());
                JsonObject original = messages.get(2);
                assertEquals(start + 1, original.getJsonNumber("id").longValue());
                assertEquals("one", original.getString("text"));
                assertError(errors.get(0), "too_long", "c3");
                assertError(errors.get(1), "rate_limited", "c5");
                b.send("three");
                assertEquals(List.of("one", "two", "three"), List.of(b.nextFrame(), b.nextFrame(), b.nextFrame()));
                assertEquals("three", a.next("message").getString("text"));

                try (ChatClient c = plain(fresh)) {
                    figures.awaitMetric("chat_connections", connections -> connections == 3, ChatClient.WAIT);
                    c.sendBinary(new byte[] {0});
                    assertEquals(1003, c.awaitClose().code());
                }
                figures.awaitMetric("chat_connections", connections -> connections == 2, ChatClient.WAIT);
                try (ChatClient d = plain(fresh)) {
                    figures.awaitMetric("chat_connections", connections -> connections == 3, ChatClient.WAIT);
                    d.send("z".repeat(MAX_MESSAGE_BYTES + 1));
                    assertEquals(1009, d.awaitClose().code());
                }
                figures.awaitMetric("chat_connections", connections -> connections == 2, ChatClient.WAIT);

                assertEquals(Json.createObjectBuilder().add("status", "up").add("connections", 2).add("rooms", 1)
                        .add("lastId", start + 3)
                        .add("historySize", 3).add("store", "up").build(), figures.health());
                // Every queued frame has been received; the outbox gauge follows once the sends' completions run.
                figures.awaitMetric("chat_outbox_bytes", bytes -> bytes == 0, ChatClient.WAIT);
                Map<String, Double> expected = new HashMap<>();
                expected.put("chat_connections", 2.0);
                expected.put("chat_history_size", 3.0);
                expected.put("chat_outbox_bytes", 0.0);
                expected.put("chat_messages_received_total",
                        6.0);   // five from a, one from b; binary and oversize never reach the room
                expected.put("chat_messages_accepted_total", 3.0);
                expected.put("chat_messages_refused_total", 1.0);
                expected.put("chat_messages_rate_limited_total", 1.0);
                expected.put("chat_messages_duplicate_total", 1.0);
                expected.put("chat_send_failures_total", 0.0);
                // To a: its own arrival's presence frame; the arrivals and departures of b, c and d are held back
                // (plain members get no presence); to a and b: three messages.
                expected.put("chat_deliveries_total", 1.0 + 3 * 2);
                for (String reason : List.of("slow_consumer", "send_failed", "rate_abuse", "idle")) {
                    expected.put("chat_closes_total{reason=\"" + reason + "\"}", 0.0);
                }
                expected.put("chat_closes_total{reason=\"binary\"}", 1.0);
                expected.put("chat_closes_total{reason=\"too_big\"}", 1.0);
                Map<String, Double> actual = new HashMap<>(figures.metrics());
                actual.keySet().retainAll(expected.keySet());
                assertEquals(expected, actual);
            }
        }
    }
}
