package chatroom.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Presence through Redis: each node writes the users it holds, room by room, to a hash that expires unless
 * refreshed (one field per room and user); the union of the other nodes' hashes is what this node hears, so a node
 * that dies without a word loses its users when its hash expires.
 */
public final class RedisPresence implements PresenceBus {
    private static final System.Logger LOG = System.getLogger(RedisPresence.class.getName());
    private static final String PRESENCE = "chatroom:presence:";
    /** Between a room and a name in a field: neither can contain it. */
    private static final char SEPARATOR = '\u0000';

    private final RedisClient redis;
    private final long ttlMillis;
    private final String node = UUID.randomUUID().toString();
    private final Worker loop = new Worker("chat-redis-presence", this::refreshLoop);
    private volatile Listener listener;

    public RedisPresence(RedisClient redis, long ttlMillis) {
        this.redis = redis;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        loop.start();
    }

    /** Publishes this node's users and learns the other nodes', a few times per expiry period. */
    private void refreshLoop() {
        long interval = Worker.heartbeatMillis(ttlMillis);
        while (loop.running()) {
            try {
                publish(listener.localUsers());
                listener.remoteUsers(otherNodesUsers());
            } catch (RuntimeException e) { // the loop must outlive Redis outages
                LOG.log(System.Logger.Level.DEBUG, () -> "presence refresh failed: " + e);
            }
            loop.pause(interval);
        }
    }

    private void publish(Map<String, Set<String>> local) {
        Map<String, String> users = new HashMap<>();
        local.forEach((room, names) -> names.forEach(name -> users.put(room + SEPARATOR + name, "1")));
        String key = PRESENCE + node;
        if (users.isEmpty()) {
            redis.del(key);
            return;
        }
        // Replace the whole hash so users who left disappear; the expiry is the node's heartbeat. A transaction
        // holds a pooled connection until it is closed (exec() does not give it back): unclosed, every refresh
        // kept one, and after 32 the node could neither append nor read.
        try (AbstractTransaction transaction = redis.multi()) {
            transaction.del(key);
            transaction.hset(key, users);
            transaction.pexpire(key, ttlMillis);
            transaction.exec();
        }
    }

    private Map<String, Set<String>> otherNodesUsers() {
        Map<String, Set<String>> users = new HashMap<>();
        String own = PRESENCE + node;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match(PRESENCE + "*").count(100);
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            for (String key : page.getResult()) {
                if (!key.equals(own)) {
                    for (String field : redis.hkeys(key)) {
                        int separator = field.indexOf(SEPARATOR);
                        if (separator > 0) { // a field of a node from before rooms has none: it will expire
                            users.computeIfAbsent(field.substring(0, separator), room -> new HashSet<>())
                                    .add(field.substring(separator + 1));
                        }
                    }
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return users;
    }

    /** Stops the loop and removes this node's users at once, rather than when they would expire. */
    @Override
    public void close() {
        loop.stop(3000);
        try {
            redis.del(PRESENCE + node);
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not remove this node's presence: " + e);
        }
    }
}
