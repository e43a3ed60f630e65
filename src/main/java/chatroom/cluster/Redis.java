package chatroom.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.JedisURIHelper;

/** The one Redis client of a node, shared by its log, presence and names. */
public final class Redis {
    /** The longest a blocking read (the log's XREAD) waits for new entries before it asks again. */
    public static final long READ_BLOCK_MILLIS = 1000;

    private Redis() {
    }

    public static RedisClient connect(String url) {
        return connect(url, 32);
    }

    /** A client with at most {@code connections} pooled connections (tests use a small pool to see one leak). */
    public static RedisClient connect(String url, int connections) {
        URI uri = URI.create(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(1000)
                .socketTimeoutMillis(2000)
                .blockingSocketTimeoutMillis((int) READ_BLOCK_MILLIS + 2000)
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

    /**
     * Up to {@code count} entries of one Stream after {@code position}, oldest first, waiting up to
     * {@link #READ_BLOCK_MILLIS} for some to come; empty when none did.
     */
    public static List<StreamEntry> readAfter(RedisClient redis, String stream, StreamEntryID position, int count) {
        List<Map.Entry<String, List<StreamEntry>>> read = redis.xread(
                XReadParams.xReadParams().block((int) READ_BLOCK_MILLIS).count(count), Map.of(stream, position));
        return read == null || read.isEmpty() ? List.of() : read.get(0).getValue();
    }
}
