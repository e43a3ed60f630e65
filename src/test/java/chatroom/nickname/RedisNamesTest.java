package chatroom.nickname;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.nickname.NameRegistry.Answer;
import chatroom.testing.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The Redis name registry as two nodes see it, against a real redis-server on a free loopback port (a fresh one per
 * test). It lives beside {@link NicknameForm} so that names are turned into keys exactly as the server does, and a
 * look-alike is a real confusable, not a key made up for the test.
 */
class RedisNamesTest {
    /** Short, so that expiry is seen within a test; the refresh then runs every 500 ms. */
    private static final long TTL_MILLIS = 1500;

    private RedisServer server;
    private RedisClient direct;
    private RedisClient clientA;
    private RedisClient clientB;
    private RedisNames nodeA;
    private RedisNames nodeB;
    /** What node A holds, as its Nicknames table would tell its registry. */
    private final HeldNames heldOnA = new HeldNames();

    @BeforeEach
    void start() {
        server = RedisServer.start();
        direct = RedisClient.create(URI.create(server.url()));
        clientA = RedisClient.create(URI.create(server.url()));
        clientB = RedisClient.create(URI.create(server.url()));
        nodeA = new RedisNames(clientA, TTL_MILLIS);
        nodeB = new RedisNames(clientB, TTL_MILLIS);
        nodeB.start(new HeldNames());
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
        clientA.close();
        clientB.close();
        direct.close();
        server.close();
    }

    private static List<String> keys(String name) {
        return NicknameForm.keys(NicknameForm.normalise(name));
    }

    /** Node A claims {@code name} for {@code owner} and, once granted, holds it (its refresh keeps it). */
    private void holdOnA(String owner, String name) {
        assertEquals(Answer.GRANTED, nodeA.claim(owner, keys(name)));
        heldOnA.put(owner, keys(name));
    }

    @Test
    void aNameClaimedOnOneNodeIsRefusedWithItsLookAlikesOnTheOther() {
        nodeA.start(heldOnA);
        holdOnA("a/1", "alice");
        for (String same : List.of("alice", "ALICE", "\u0410lice", "\uFF41\uFF4C\uFF49\uFF43\uFF45")) {
            assertEquals(Answer.TAKEN, nodeB.claim("b/1", keys(same)), same);
        }
        assertEquals(Answer.GRANTED, nodeA.claim("a/1", keys("alice")), "the owner's own claim again is granted");
        assertEquals(Answer.GRANTED, nodeB.claim("b/2", keys("bob")), "another name is free");
    }

    @Test
    void aClaimTakesAllOfItsKeysOrNone() {
        assertEquals(Answer.GRANTED, nodeA.claim("a/1", List.of("shared")));
        assertEquals(Answer.TAKEN, nodeB.claim("b/1", List.of("only-b", "shared")));
        assertFalse(direct.exists("chatroom:name:only-b"), "a refused claim sets none of its keys");
        assertEquals(Answer.GRANTED, nodeA.claim("a/2", List.of("only-b")));
    }

    @Test
    void aReleasedNameIsFreeOnTheOtherNodeAndOnlyItsOwnerReleasesIt() {
        nodeA.start(heldOnA);
        holdOnA("a/1", "alice");
        nodeB.release("b/1", keys("alice"));
        assertEquals(Answer.TAKEN, nodeB.claim("b/1", keys("alice")), "a release by another owner changes nothing");
        heldOnA.remove("a/1");
        nodeA.release("a/1", keys("alice"));
        assertEquals(Answer.GRANTED, nodeB.claim("b/1", keys("\u0410lice")));
    }

    @Test
    void aLiveNodeKeepsItsNamePastTheExpiry() {
        nodeA.start(heldOnA);
        holdOnA("a/1", "alice");
        // What is awaited is the expiry itself, so the wait is that time: twice the TTL, taken all along.
        await("refreshed, never lapsed").during(Duration.ofMillis(2 * TTL_MILLIS))
                .atMost(Duration.ofMillis(2 * TTL_MILLIS).plusSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> nodeB.claim("b/1", keys("alice")), Answer.TAKEN::equals);
    }

    @Test
    void aDeadNodeLosesItsNamesAfterTheExpiry() {
        nodeA.start(heldOnA);
        holdOnA("a/1", "alice");
        String key = "chatroom:name:" + keys("alice").get(0);
        assertEquals("a/1", eventually("node A's hold is in Redis", () -> direct.get(key), "a/1"::equals));
        // What is left of the hold when node A dies: a refresh may still land before the close, never after.
        long looked = System.nanoTime();
        long leftMillis = direct.pttl(key);
        assertTrue(leftMillis > 0 && leftMillis <= TTL_MILLIS, "expires in " + leftMillis + " ms");
        // Node A dies without a word: it can neither refresh nor release any more.
        clientA.close();
        assertEquals(Answer.TAKEN, nodeB.claim("b/1", keys("alice")), "still held right after");
        assertEquals(Answer.GRANTED,
                eventually("the name is free once the hold expired", () -> nodeB.claim("b/1", keys("alice")),
                Answer.GRANTED::equals));
        long afterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - looked);
        assertTrue(afterMillis >= leftMillis - 20, "free after " + afterMillis + " ms, the hold had " + leftMillis
                + " ms left");
    }

    @Test
    void aNodeThatStopsGivesItsNamesBackAtOnce() {
        nodeA.start(heldOnA);
        holdOnA("a/1", "alice");
        nodeA.close();
        assertEquals(Answer.GRANTED, nodeB.claim("b/1", keys("alice")));
    }

    @Test
    void whileRedisIsAwayClaimsAreUnavailableAndHeldNamesComeBackWithIt() {
        nodeA.start(heldOnA);
        holdOnA("a/1", "alice");
        server.stop();
        assertEquals(Answer.UNAVAILABLE, nodeB.claim("b/1", keys("bob")));
        nodeB.release("b/1", keys("bob")); // never throws
        server.restart();
        // Redis came back empty: node A's refresh claims its name again. (The direct client's pooled connection died
        // with the old server, so a new client looks.)
        try (RedisClient after = RedisClient.create(URI.create(server.url()))) {
            assertEquals("a/1",
                    eventually("node A claims its name again", () -> after.get("chatroom:name:" + keys("alice").get(0)),
                    "a/1"::equals));
        }
        assertEquals(Answer.TAKEN,
                eventually("node B sees the name taken", () -> nodeB.claim("b/1", keys("alice")), Answer.TAKEN::equals),
                "node B's client reconnects by itself; the name is node A's");
    }

    /** Polls (bounded, 10 s) until the value is what is wanted, and returns it. */
    private static <T> T eventually(String what, Supplier<T> value, Predicate<T> wanted) {
        return await(what).atMost(10, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(value::get, wanted);
    }

    /** A node's held names, changed by the test as a Nicknames table would change. */
    private static final class HeldNames implements NameRegistry.Holds {
        private final Map<String, List<String>> names = new ConcurrentHashMap<>();

        void put(String owner, List<String> keys) {
            names.put(owner, keys);
        }

        void remove(String owner) {
            names.remove(owner);
        }

        @Override
        public Map<String, List<String>> held() {
            return Map.copyOf(names);
        }

        @Override
        public boolean holds(String owner) {
            return names.containsKey(owner);
        }
    }
}
