package chatroom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.testing.RedisServer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Presence through a real redis-server on a free loopback port. */
class RedisPresenceTest {
    @Test
    void refreshesGiveTheirConnectionBackToThePool() throws InterruptedException {
        try (RedisServer server = RedisServer.start(); RedisClient client = Redis.connect(server.url(), 2)) {
            CountDownLatch refreshes = new CountDownLatch(10);
            RedisPresence presence = new RedisPresence(client, 600); // a refresh every 200 ms
            presence.start(new PresenceBus.Listener() {
                @Override
                public Map<String, Set<String>> localUsers() {
                    return Map.of("general", Set.of("alice")); // a named user: each refresh publishes in a transaction
                }

                @Override
                public void remoteUsers(Map<String, Set<String>> users) {
                    refreshes.countDown();
                }
            });
            try {
                // A refresh that kept its connection would empty this pool of two by the third; every later one
                // would wait 2 s for a connection and fail before it hears the others.
                assertTrue(refreshes.await(20, TimeUnit.SECONDS),
                        "presence refreshes stopped after " + (10 - refreshes.getCount()) + " of 10");
                assertEquals("PONG", client.ping(), "the pool still lends a connection");
            } finally {
                presence.close();
            }
        }
    }
}
