package chatroom.nickname;

import chatroom.cluster.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Nicknames unique across nodes through Redis: each key of a held name is a Redis key holding its owner's token
 * with an expiry. A claim sets all of a name's keys in one Lua script or none of them; a release deletes only keys
 * that still hold the releasing owner's token. The node refreshes its holds a few times per expiry period, so a
 * node that dies without a word loses its names when their keys expire.
 *
 * <p>The tokens name a holder, never its HttpSession: a session id is a credential and stays out of Redis.
 */
public final class RedisNames implements NameRegistry {
    private static final System.Logger LOG = System.getLogger(RedisNames.class.getName());
    static final String PREFIX = "chatroom:name:";

    /** KEYS: the name's keys. ARGV: owner, expiry in ms. 1 when granted (every key now the owner's), 0 when taken. */
    private static final String CLAIM = """
            for _, key in ipairs(KEYS) do
              local owner = redis.call('GET', key)
              if owner and owner ~= ARGV[1] then return 0 end
            end
            for _, key in ipairs(KEYS) do
              redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
            end
            return 1
            """;

    /**
     * KEYS: the name's keys. ARGV: owner. Deletes only the owner's own keys (a key may have expired and been retaken).
     */
    private static final String RELEASE = """
            for _, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
            end
            return 0
            """;

    private final RedisClient redis;
    private final long ttlMillis;
    private final Worker loop = new Worker("chat-redis-names", this::refreshLoop);
    private volatile Holds holds;

    public RedisNames(RedisClient redis, long ttlMillis) {
        this.redis = redis;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void start(Holds holds) {
        this.holds = holds;
        loop.start();
    }

    @Override
    public Answer claim(String owner, List<String> keys) {
        try {
            Object granted = redis.eval(CLAIM, redisKeys(keys), List.of(owner, Long.toString(ttlMillis)));
            return Long.valueOf(1).equals(granted) ? Answer.GRANTED : Answer.TAKEN;
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "name claim failed: " + e);
            return Answer.UNAVAILABLE;
        }
    }

    @Override
    public void release(String owner, List<String> keys) {
        try {
            redis.eval(RELEASE, redisKeys(keys), List.of(owner));
        } catch (RuntimeException e) { // also after close: the client may be gone; the keys then expire
            LOG.log(System.Logger.Level.DEBUG, () -> "name release failed (its keys expire): " + e);
        }
    }

    /**
     * Claims every held name again (refreshing its expiry, or setting it anew after Redis lost it), a few times per
     * expiry period. A name released while its refresh was on its way is released again, so no refresh outlives
     * its holder.
     */
    private void refreshLoop() {
        long interval = Worker.heartbeatMillis(ttlMillis);
        while (loop.running()) {
            try {
                for (Map.Entry<String, List<String>> hold : holds.held().entrySet()) {
                    refresh(hold.getKey(), hold.getValue());
                }
            } catch (RuntimeException e) { // the loop must outlive Redis outages
                LOG.log(System.Logger.Level.DEBUG, () -> "name refresh failed: " + e);
            }
            loop.pause(interval);
        }
    }

    private void refresh(String owner, List<String> keys) {
        Answer answer = claim(owner, keys);
        if (answer == Answer.TAKEN) {
            // Only after Redis was out of reach for this node longer than the expiry while another node claimed.
            LOG.log(System.Logger.Level.WARNING,
                    "a name held here was claimed on another node while Redis was out of reach: " + keys);
        }
        if (answer == Answer.GRANTED && !holds.holds(owner)) {
            release(owner, keys);
        }
    }

    /** Stops the refreshes and frees this node's names at once, rather than when they would expire. */
    @Override
    public void close() {
        loop.stop(3000);
        Holds current = holds;
        if (current != null) {
            current.held().forEach(this::release);
        }
    }

    private static List<String> redisKeys(List<String> keys) {
        List<String> prefixed = new ArrayList<>(keys.size());
        for (String key : keys) {
            prefixed.add(PREFIX + key);
        }
        return prefixed;
    }
}
