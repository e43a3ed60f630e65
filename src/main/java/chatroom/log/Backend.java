package chatroom.log;

import chatroom.ChatSettings;
import chatroom.store.MessageStore;
import chatroom.store.StoreArchive;
import java.net.URI;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/**
/**
 * The message log, presence bus and name registry the settings ask for: the store for one node, Redis (with the
 * store as archive) for several (log, presence and names through one client, closed last).
 */
public record Backend(MessageLog log, PresenceBus presence, NameRegistry names, AutoCloseable client) implements AutoCloseable {
    /** Delivered messages waiting for the store while it is slow or away, per node. */
    private static final int ARCHIVE_QUEUE = 100_000;

    /**
     * One node: the store gives ids and keeps every message ({@link StoredLog}). Several (Redis): Redis gives ids
     * and delivers, and each node copies what it delivers into the store ({@link ArchivedLog}). Without a store
     * ({@code chat.store.enabled=false}, null here) history lives in memory or in Redis only.
     */
    public static Backend from(ChatSettings settings, MessageStore store) {
        if (settings.redisUrl() == null) {
            MessageLog log = store == null
                    ? MemoryLog.startingNow(settings.historySize())
                    : StoredLog.startingNow(store, settings.historySize());
            return new Backend(log, PresenceBus.SINGLE_NODE, NameRegistry.SINGLE_NODE, () -> { });
        }
        RedisClient redis = connect(settings.redisUrl());
        MessageLog redisLog = new RedisLog(redis, settings.historySize());
        MessageLog log = store == null ? redisLog : new ArchivedLog(redisLog, StoreArchive.start(store, ARCHIVE_QUEUE));
        return new Backend(log, new RedisPresence(redis, settings.presenceTtlMillis()),
                new RedisNames(redis, settings.presenceTtlMillis()), redis);
    }

    static RedisClient connect(String url) {
        return connect(url, 32);
    }

    /** A client with at most {@code connections} pooled connections (tests use a small pool to see one leak). */
    static RedisClient connect(String url, int connections) {
        URI uri = URI.create(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(1000)
                .socketTimeoutMillis(2000)
                .blockingSocketTimeoutMillis((int) RedisLog.READ_BLOCK_MILLIS + 2000)
                .database(JedisURIHelper.getDBIndex(uri));
        if (JedisURIHelper.getPassword(uri) != null) {
            config.user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri));
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(connections);
        pool.setMaxWait(Duration.ofSeconds(2));
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    /** Presence and names first (they remove this node's users and names through the client), then the log, then the client. */
    @Override
    public void close() {
        presence.close();
        names.close();
        log.close();
        try {
            client.close();
        } catch (Exception e) {
            System.getLogger(Backend.class.getName()).log(System.Logger.Level.DEBUG, () -> "closing the client failed: " + e);
        }
    }
}
