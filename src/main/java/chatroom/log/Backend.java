package chatroom.log;

import chatroom.ChatSettings;
import java.net.URI;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The message log, presence bus and name registry the settings ask for: in memory for one node, Redis for several
 * (all through one client, closed last).
 */
public record Backend(MessageLog log, PresenceBus presence, NameRegistry names, AutoCloseable client) implements AutoCloseable {

    public static Backend from(ChatSettings settings) {
        if (settings.redisUrl() == null) {
            return new Backend(MemoryLog.startingNow(settings.historySize()), PresenceBus.SINGLE_NODE, NameRegistry.SINGLE_NODE, () -> { });
        }
        RedisClient redis = connect(settings.redisUrl());
        return new Backend(new RedisLog(redis, settings.historySize()),
                new RedisPresence(redis, settings.presenceTtlMillis()), new RedisNames(redis, settings.presenceTtlMillis()), redis);
    }

    static RedisClient connect(String url) {
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
        pool.setMaxTotal(32);
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
