package chatroom.it;

import static chatroom.it.WebAbuseIT.assertJsonError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.nickname.NameKeys;
import chatroom.testing.BackgroundTasks;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.RedisServer;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.RedisClient;

/**
 * Two nodes, one room: node A is embedded Jetty, node B embedded Tomcat, both backed by one real redis-server.
 * Tests use fresh names and markers, so they share the nodes and Redis without seeing each other's traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisBackplaneIT {
    private TwoNodes nodes;
    private RedisServer redis;
    private ChatServer nodeA;
    private ChatServer nodeB;

    @BeforeAll
    void start() {
        // Every test claims names, some poll for one: the per-address claim budget is WebAbuseIT's subject.
        nodes = TwoNodes.jettyAndTomcat(Map.of("chat.nickname.claimBurst", "10000",
                "chat.nickname.claimsPerMinute", "100000"));
        redis = nodes.redis();
        nodeA = nodes.a();
        nodeB = nodes.b();
    }

    /**
     * Two tests stop and restart Redis; each node finds it again on its own schedule (its next refresh, within a
     * second or so). The next test starts once both nodes take nicknames again, not while one still answers 503.
     */
    @AfterEach
    void bothNodesReachRedis() {
        for (ChatServer node : List.of(nodeA, nodeB)) {
            claimWhenAvailable(node, unique("ready"));
        }
    }

    @AfterAll
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static ChatClient join(ChatServer node, String name, String query) {
        return WebSession.joined(node, name, query);
    }

    private static String unique(String prefix) {
        return ServerSuite.unique(prefix);
    }

    /**
     * Takes {@code name} on {@code node} once the node that held it has let it go (the release reaches Redis a
     * moment after the holder's socket closes): bounded polling.
     */
    private static WebSession claimWhenFree(ChatServer node, String name) {
        return claimOnceNot(node, name, 409);
    }

    /**
     * Takes {@code name} on {@code node}, asking again while the answer is {@code passing} (a state that ends on
     * its own), for at most {@link ChatClient#WAIT}: bounded polling.
     */
    private static WebSession claimOnceNot(ChatServer node, String name, int passing) {
        WebSession visitor = new WebSession(node);
        HttpResponse<String> response = await(name + " on " + node.containerName() + " no longer " + passing)
                .atMost(ChatClient.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> visitor.postNickname(name), answer -> answer.statusCode() != passing);
        assertEquals(200, response.statusCode(), name + " on " + node.containerName() + ": " + response.body());
        return visitor;
    }

    /**
     * A visitor leaving a node for another: its session there takes another name and its socket drops, so the name
     * it had is free for it on the other node (a name is one person's across nodes).
     */
    private static void leave(WebSession session, ChatClient socket) {
        socket.abort();
        session.nickname(unique("left"));
    }

    private static String message(String text, String cid) {
        return ChatClient.envelope(text, cid);
    }

    /** Messages (text by id) seen by a client until every one of the given texts has arrived. */
    static LinkedHashMap<Long, String> messagesUntil(ChatClient client, String... lastTexts) {
        LinkedHashMap<Long, String> seen = new LinkedHashMap<>();
        while (!seen.values().containsAll(List.of(lastTexts))) {
            JsonObject message = client.next("message");
            long id = message.getJsonNumber("id").longValue();
            assertFalse(seen.containsKey(id), "id " + id + " delivered twice");
            seen.put(id, message.getString("text"));
        }
        return seen;
    }

    @Test
    void clientsOnBothNodesSeeEveryMessageInOneOrder() throws Exception {
        String tag = unique("order");
        try (ChatClient a = join(nodeA, unique("ann"), null); ChatClient b = join(nodeB, unique("ben"), null)) {
            try (BackgroundTasks tasks = new BackgroundTasks()) {
                for (ChatClient sender : List.of(a, b)) {
                    tasks.start("sender-" + sender.hashCode(), () -> {
                        for (int i = 0; i < 50; i++) {
                            sender.send(message(tag + "-" + sender.hashCode() + "-" + i, UUID.randomUUID().toString()));
                        }
                    });
                }
                tasks.awaitAll(Duration.ofSeconds(20));
            }
            // Each node's own end marker: a client's messages keep their order through its node, but the two
            // nodes race each other into Redis, so one marker could be ordered before the other node's last ones.
            a.send(message(tag + "-end-a", "end-a-" + tag));
            b.send(message(tag + "-end-b", "end-b-" + tag));
            LinkedHashMap<Long, String> atA = messagesUntil(a, tag + "-end-a", tag + "-end-b");
            LinkedHashMap<Long, String> atB = messagesUntil(b, tag + "-end-a", tag + "-end-b");
            assertEquals(102, atA.size());
            assertEquals(new ArrayList<>(atA.entrySet()), new ArrayList<>(atB.entrySet()),
                    "same ids, same texts, same order");
            List<Long> ids = new ArrayList<>(atA.keySet());
            for (int i = 1; i < ids.size(); i++) {
                assertEquals(ids.get(i - 1) + 1, ids.get(i), "ids strictly increasing without gaps");
            }
        }
    }

    @Test
    void aClientThatDropsFromOneNodeResumesOnTheOtherWithExactlyWhatItMissed() {
        String name = unique("mover");
        String tag = unique("move");
        try (ChatClient reference = join(nodeB, unique("ref"), null); ChatClient sender = join(nodeB,
                unique("snd"), null)) {
            WebSession moverSession = new WebSession(nodeA).nickname(name);
            ChatClient mover = moverSession.connectChat(null);
            assertEquals(name, mover.next("welcome").getString("you"));
            sender.send(message(tag + "-before", "b-" + tag));
            long lastSeen = mover.next(e -> "message".equals(e.getString("type"))
                    && (tag + "-before").equals(e.getString("text"))).getJsonNumber("id").longValue();
            leave(moverSession, mover);
            for (int i = 0; i < 10; i++) {
                sender.send(message(tag + "-missed-" + i, "m-" + i + "-" + tag));
            }
            sender.send(message(tag + "-last", "l-" + tag));
            LinkedHashMap<Long, String> referenceView = messagesUntil(reference, tag + "-last");
            referenceView.keySet().removeIf(id -> id <= lastSeen);

            try (ChatClient resumed = claimWhenFree(nodeB, name).connectChat("since=" + lastSeen)) {
                assertEquals(new ArrayList<>(referenceView.entrySet()),
                        new ArrayList<>(messagesUntil(resumed, tag + "-last").entrySet()));
            }
        }
    }

    @Test
    void theOnlineListOnEachNodeShowsUsersOfBoth() {
        String onA = unique("ona");
        String onB = unique("onb");
        try (ChatClient a = join(nodeA, onA, null)) {
            ChatClient b = join(nodeB, onB, null);
            a.next(ChatClient.arrived(onB));
            b.next(ChatClient.arrived(onA));
            try (ChatClient late = join(nodeA, unique("late"), null)) {
                // The welcome was consumed by join(); a fresh one shows the list.
            }
            ChatClient fresh = new WebSession(nodeA).nickname(unique("fresh")).connectChat(null);
            List<String> users = fresh.next("welcome").getJsonArray("users").getValuesAs(JsonString::getString);
            assertTrue(users.contains(onA) && users.contains(onB), users.toString());
            fresh.close();
            b.close();
            a.next(ChatClient.departed(onB));
        }
    }

    @Test
    void aCidRetriedOnTheOtherNodeIsShownOnce() {
        String name = unique("retry");
        String cid = "c-" + UUID.randomUUID();
        try (ChatClient watcher = join(nodeA, unique("watch"), null)) {
            WebSession firstSession = new WebSession(nodeA).nickname(name);
            ChatClient first = firstSession.connectChat(null);
            assertEquals(name, first.next("welcome").getString("you"));
            first.send(message("only once", cid));
            long id = first.next(e -> "message".equals(e.getString("type")) && cid.equals(e.getString("cid", null)))
                    .getJsonNumber("id").longValue();
            leave(firstSession, first);
            try (ChatClient second = claimWhenFree(nodeB, name).connectChat("since=" + id)) {
                second.send(message("only once", cid));
                JsonObject original = second.next(e -> "message".equals(e.getString("type"))
                        && cid.equals(e.getString("cid", null)));
                assertEquals(id, original.getJsonNumber("id").longValue(), "the sender gets the original back");
                second.send(message("marker " + cid, "m-" + cid));
                LinkedHashMap<Long, String> seen = messagesUntil(watcher, "marker " + cid);
                assertEquals(1, seen.values().stream().filter("only once"::equals).count(), seen.toString());
            }
        }
    }

    @Test
    void aRedisOutageTellsSendersUnavailableAndLosesNoAcknowledgedMessage() {
        String tag = unique("outage");
        try (ChatClient observerA = join(nodeA, unique("oba"), null); ChatClient observerB = join(nodeB,
                unique("obb"), null);
             ChatClient sender = join(nodeA, unique("sa"), null)) {
            Map<String, Long> acknowledged = new LinkedHashMap<>();
            List<String> refused = new ArrayList<>();
            int[] counter = {0};
            sendUntil(sender, tag, counter, acknowledged, refused, () -> acknowledged.size() >= 10);
            redis.stop();
            sendUntil(sender, tag, counter, acknowledged, refused, () -> refused.size() >= 3);
            redis.restart();
            int before = acknowledged.size();
            sendUntil(sender, tag, counter, acknowledged, refused, () -> acknowledged.size() >= before + 10);
            assertTrue(refused.size() >= 3, "senders were told their messages were not stored");

            String last = acknowledged.keySet().stream().reduce((x, y) -> y).orElseThrow();
            for (ChatClient observer : List.of(observerA, observerB)) {
                LinkedHashMap<Long, String> seen = messagesUntil(observer, last);
                List<Long> ids = new ArrayList<>(seen.keySet());
                for (int i = 1; i < ids.size(); i++) {
                    assertTrue(ids.get(i) > ids.get(i - 1), "in order: " + ids);
                }
                for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                    assertEquals(ack.getKey(), seen.get(ack.getValue()), "acknowledged message " + ack + " seen once");
                }
                for (String text : refused) {
                    assertFalse(seen.containsValue(text), "a refused message is never shown: " + text);
                }
            }
        }
    }

    /** Sends one message at a time and waits for its fate: its own echo (acknowledged) or `unavailable`. */
    private static void sendUntil(ChatClient sender, String tag, int[] counter, Map<String, Long> acknowledged,
                                  List<String> refused, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not done within 30 s: acked " + acknowledged.size() + ", refused "
                    + refused.size());
            String text = tag + "-" + counter[0]++;
            String cid = "c-" + text;
            sender.send(message(text, cid));
            JsonObject fate = sender.next(e -> cid.equals(e.getString("cid", null)));
            if ("message".equals(fate.getString("type"))) {
                acknowledged.put(text, fate.getJsonNumber("id").longValue());
            } else {
                assertEquals("unavailable", fate.getString("code"), fate.toString());
                refused.add(text);
            }
        }
    }

    @Test
    void usersOfANodeThatDiesWithoutAWordDisappear() {
        String ghost = unique("ghost");
        try (ChatClient watcher = join(nodeB, unique("w"), null);
             RedisClient direct = RedisClient.create(java.net.URI.create(redis.url()))) {
            // A node that died: its presence hash (a field per room and name) is never refreshed again and expires.
            direct.hset("chatroom:presence:dead-node-" + ghost, Map.of("general\u0000" + ghost, "1"));
            direct.pexpire("chatroom:presence:dead-node-" + ghost, 3000);
            watcher.next(ChatClient.arrived(ghost));
            watcher.next(ChatClient.departed(ghost));
        }
    }

    @Test
    void aNicknameIsOnePersonsOnAllNodesUntilItsHolderLetsItGo() {
        for (ChatServer[] nodes : List.of(new ChatServer[] {nodeA, nodeB}, new ChatServer[] {nodeB, nodeA})) {
            ChatServer first = nodes[0];
            ChatServer second = nodes[1];
            String name = unique("alice");
            WebSession holder = new WebSession(first).nickname(name);
            assertJsonError(new WebSession(second).postNickname(name), 409, "nickname_taken");
            // A Cyrillic А, and the name in capitals: one name to people, so one person's on every node.
            for (String lookAlike : List.of("\u0410" + name.substring(1), name.toUpperCase(java.util.Locale.ROOT))) {
                assertJsonError(new WebSession(second).postNickname(lookAlike), 409, "nickname_taken");
            }
            try (ChatClient socket = holder.connectChat(null)) {
                assertEquals(name, socket.next("welcome").getString("you"));
                holder.nickname(unique("renamed"));
                assertJsonError(new WebSession(second).postNickname(name), 409, "nickname_taken");
            }
            // The session has let the name go and now its last socket has closed: free on the other node.
            claimWhenFree(second, name);
            assertJsonError(new WebSession(first).postNickname(name), 409, "nickname_taken");
        }
    }

    @Test
    void whileRedisIsAwayNewNamesAreRefusedAndHeldNamesStayHeld() {
        String held = unique("kept");
        WebSession holder = new WebSession(nodeA).nickname(held);
        redis.stop();
        try {
            for (ChatServer node : List.of(nodeA, nodeB)) {
                HttpResponse<String> refused = new WebSession(node).postNickname(unique("new"));
                assertJsonError(refused, 503, "unavailable");
                assertTrue(refused.headers().firstValue("Retry-After").isPresent(), node.containerName());
            }
            assertJsonError(new WebSession(nodeA).postNickname(held), 409, "nickname_taken");
            assertEquals(200, holder.postNickname(held).statusCode(), "its holder keeps it");
        } finally {
            redis.restart();
        }
        claimWhenAvailable(nodeB, unique("back"));
        // Redis came back empty: node A's refresh claims the held name again (within a second), then node B refuses it.
        try (RedisClient direct = RedisClient.create(java.net.URI.create(redis.url()))) {
            String key = NameKeys.of(held).get(0);
            // Refused all along, until node A's hold is back in Redis.
            await("node A holds " + held + " in Redis again").atMost(ChatClient.WAIT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        assertJsonError(new WebSession(nodeA).postNickname(held), 409, "nickname_taken");
                        return direct.exists(key);
                    });
        }
        assertJsonError(new WebSession(nodeB).postNickname(held), 409, "nickname_taken");
    }

    /** Takes {@code name} on {@code node} once the node reaches Redis again: bounded polling. */
    private static void claimWhenAvailable(ChatServer node, String name) {
        claimOnceNot(node, name, 503);
    }

    @Test
    void historySurvivesARestartOfBothNodes() {
        String marker = unique("kept");
        try (ChatClient a = join(nodeA, unique("hist"), null)) {
            a.send(message(marker, "c-" + marker));
            a.next(e -> "message".equals(e.getString("type")) && marker.equals(e.getString("text")));
        }
        nodes.stopA();
        nodes.stopB();
        nodes.startA();
        nodes.startB();
        nodeA = nodes.a();
        nodeB = nodes.b();
        for (ChatServer node : List.of(nodeA, nodeB)) {
            String page = new WebSession(node).getPage().body();
            assertTrue(page.contains(marker), node.containerName() + " page shows the history");
            try (ChatClient resumed = join(node, unique("back"), "since=0")) {
                assertTrue(messagesUntil(resumed, marker).containsValue(marker));
            }
        }
    }
}
