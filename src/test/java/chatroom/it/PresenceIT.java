package chatroom.it;

import static chatroom.testing.ChatClient.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.RawWebSocket;
import chatroom.testing.ServerProbe;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Presence at scale against the real webapp in each container: churn reaches a member as at most one presence
 * frame per interval with the exact count, and a 1,000-member chat.v1 join storm admits
 * everyone with bounded welcomes, cuts nobody and delivers a broadcast to all.
 */
class PresenceIT extends ServerSuite {
    static final long INTERVAL_MILLIS = 1000; // web.xml's default
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    /** One address makes every connection here: its cap is lifted (the budget tests are elsewhere). */
    @Override
    Map<String, String> sharedServerParams() {
        return ServerSuite.RELAXED;
    }

    @AfterAll
    void stopPool() {
        pool.shutdownNow();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs every task on the pool and waits for all of them (bounded), rethrowing the first failure. */
    private <T> List<T> all(List<java.util.concurrent.Callable<T>> tasks, Duration within) throws Exception {
        List<Future<T>> futures = pool.invokeAll(tasks, within.toMillis(), TimeUnit.MILLISECONDS);
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get()); // a cancelled one (too slow) throws here
        }
        return results;
    }

    private List<ChatClient> guests(int count) throws Exception {
        List<java.util.concurrent.Callable<ChatClient>> connects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            connects.add(() -> ChatClient.connect(server.socketUri(null), ChatClient.options().chatV1()));
        }
        return all(connects, Duration.ofSeconds(120));
    }

    private void closeAll(List<ChatClient> clients) throws Exception {
        List<java.util.concurrent.Callable<Void>> closes = new ArrayList<>();
        for (ChatClient client : clients) {
            closes.add(() -> {
                client.close();
                return null;
            });
        }
        all(closes, Duration.ofSeconds(60));
    }

    /** The room as the previous test left it: its clients may still be leaving. */
    private int emptyRoom(ServerProbe probe) {
        // A container closing a thousand sessions may leave a request waiting past one probe's timeout: the
        // probe asks again until the bound.
        probe.awaitMetric("chat_connections", connections -> connections == 0, Duration.ofSeconds(60));
        return 0;
    }

    @Test
    void churnReachesAMemberAsAtMostOnePresenceFramePerIntervalWithTheExactCount() throws Exception {
        ServerProbe probe = new ServerProbe(server);
        int before = emptyRoom(probe);
        try (ChatClient watcher = WebSession.joined(server, unique("watch"), null)) {
            long start = System.nanoTime();
            // One hostile client: 300 connect/close cycles as fast as it can, while 200 guests arrive at once.
            Future<?> hostile = pool.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    try (RawWebSocket socket = RawWebSocket.connect(server.socketUri(null), 0)) {
                        socket.sendText("churn " + i); // a plain guest: counted, never named
                    }
                }
                return null;
            });
            List<ChatClient> guests = guests(200);
            hostile.get(120, TimeUnit.SECONDS);
            try {
                int expected = before + 1 + guests.size();
                probe.awaitMetric("chat_connections", connections -> connections == expected, Duration.ofSeconds(30));
                // Once the room holds exactly that, the last presence frame the watcher gets says so. The
                // watcher reads for two intervals past that point: frames due by then have come.
                List<JsonObject> presence = new ArrayList<>();
                long lastFrameNanos = start;
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * INTERVAL_MILLIS + 500);
                while (System.nanoTime() < until) {
                    String frame = watcher.frameWithin(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
                    for (String line : frame == null ? List.<String>of() : ChatClient.lines(frame)) {
                        JsonObject envelope = parse(line);
                        if ("presence".equals(envelope.getString("type"))) {
                            presence.add(envelope);
                            lastFrameNanos = System.nanoTime();
                        }
                    }
                }
                double elapsedSeconds = (lastFrameNanos - start) / 1e9;
                long allowed = (long) Math.floor(elapsedSeconds * 1000 / INTERVAL_MILLIS) + 2;
                System.out.printf("[presence] %s: 300 churn cycles + 200 guests -> %d presence frames in %.1f s "
                        + "(allowed %d)%n",
                        server.containerName(), presence.size(), elapsedSeconds, allowed);
                assertFalse(presence.isEmpty(), "the arrivals were announced");
                assertTrue(presence.size() <= allowed, presence.size() + " presence frames in "
                        + elapsedSeconds + " s");
                assertEquals(expected, presence.get(presence.size() - 1).getInt("online"),
                        "the exact count at the end");
                for (JsonObject envelope : presence) {
                    assertTrue(ChatClient.names(envelope, "joined").stream().noneMatch(n -> n.startsWith("guest-")),
                            "guests are counted, not named: " + envelope);
                }
                String text = unique("after-churn");
                watcher.send(text);
                assertEquals(text, watcher.next("message").getString("text"));
            } finally {
                closeAll(guests);
            }
        }
    }

    @Test
    void aThousandMemberJoinStormAdmitsEveryoneWithBoundedWelcomesAndDeliversABroadcastToAll() throws Exception {
        ServerProbe probe = new ServerProbe(server);
        int before = emptyRoom(probe);
        List<ChatClient> members = guests(1000);
        try {
            // Every member admitted: each gets its welcome first, bounded whatever the room's size.
            List<java.util.concurrent.Callable<Integer>> welcomes = new ArrayList<>();
            for (ChatClient member : members) {
                welcomes.add(() -> {
                    String first = member.nextFrame();
                    JsonObject welcome = parse(ChatClient.lines(first).get(0));
                    assertEquals("welcome", welcome.getString("type"));
                    assertTrue(welcome.getJsonArray("users").size() <= 100, "at most 100 names");
                    return ChatClient.lines(first).get(0).length();
                });
            }
            int largest = all(welcomes, Duration.ofSeconds(60)).stream().mapToInt(Integer::intValue).max()
                    .orElseThrow();
            assertTrue(largest <= 16 * 1024, "a welcome of " + largest + " characters");
            probe.awaitMetric("chat_connections", connections -> connections == before + 1000, Duration.ofSeconds(30));

            try (ChatClient sender = WebSession.joined(server, unique("storm"), null)) {
                String text = unique("after-storm");
                sender.send(ChatClient.envelope(text, "c-storm"));
                List<java.util.concurrent.Callable<Boolean>> receipts = new ArrayList<>();
                for (ChatClient member : members) {
                    receipts.add(() -> text.equals(member.next("message").getString("text")));
                }
                assertFalse(all(receipts, Duration.ofSeconds(60)).contains(false), "every member got the broadcast");
            }
            for (ChatClient member : members) {
                assertFalse(member.isClosed(), "nobody was cut: " + member.error());
            }
            System.out.printf("[presence] %s: 1000 chat.v1 joins, largest welcome %d characters%n",
                    server.containerName(), largest);
        } finally {
            closeAll(members);
        }
    }

}
