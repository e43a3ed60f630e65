package chatroom.log;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import chatroom.cluster.Redis;
import chatroom.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The log contract against a real redis-server on a free loopback port, a fresh one per test. */
class RedisLogTest extends MessageLogContract {
    private RedisServer server;
    private RedisClient client;

    @Override
    MessageLog create(int capacity) {
        server = RedisServer.start();
        client = Redis.connect(server.url());
        return new RedisLog(client, capacity);
    }

    @Override
    void release() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Test
    void whileRedisIsAwayAppendsAreUnavailableAndHealthSaysDown() throws Exception {
        MessageLog log = create(10);
        Recorder listener = new Recorder();
        log.start(listener);
        try {
            assertEquals(Map.of("redis", "up"), awaitHealth(log, "up"));
            server.stop();
            assertInstanceOf(MessageLog.Unavailable.class,
                    log.append(new MessageLog.Draft("general", "alice", "lost", null, 0)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS));
            assertEquals(Map.of("redis", "down"), awaitHealth(log, "down"));
            assertEquals(-1, log.lastIssuedId(), "cannot say");
            server.restart();
            assertEquals(Map.of("redis", "up"), awaitHealth(log, "up"));
        } finally {
            log.close();
            release();
        }
    }

    /** Health changes with the reader's next round (it blocks up to a second per read): a bounded wait. */
    private static Map<String, String> awaitHealth(MessageLog log, String state) {
        return await("/health says redis is " + state).atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(log::health, health -> state.equals(health.get("redis")));
    }
}
