package chatroom;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Several nodes, one room: Redis gives every message its id, keeps the history, and carries presence.
 *
 * <ul>
 * <li>A message is appended by one Lua script, atomically: a cid this user already sent within the retained
 * history returns the original id; otherwise the counter is incremented and the message added to a Stream capped
 * at the history size, with the id as its entry id. The caller learns stored, duplicate or unavailable.</li>
 * <li>Each node reads the Stream on a thread of its own and hands the room every entry in Stream order, its own
 * messages included: one order for the whole room, and each node's history mirrors the Stream's tail.</li>
 * <li>Each node writes the users it holds to a hash that expires unless refreshed; the union of all nodes' hashes
 * is the room's online list, so a node that dies without a word loses its users when its hash expires.</li>
 * </ul>
 * While Redis is unreachable, appends fail at once ({@code unavailable}), both loops retry with backoff, and the
 * reader resumes from the last entry it delivered, so nothing is missed or delivered twice.
 */
final class RedisBackplane implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisBackplane.class.getName());
    private static final String PREFIX = "chatroom:";
    private static final String STREAM = PREFIX + "messages";
    private static final String COUNTER = PREFIX + "last-id";
    private static final String CLIENT_IDS = PREFIX + "client-ids";
    private static final String PRESENCE = PREFIX + "presence:";
    private static final long READ_BLOCK_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    /**
     * KEYS: stream, counter, client-id index. ARGV: from, text, ts, cid ('' for none), history size, floor.
     * The floor is the highest id the calling node has seen: if Redis lost its data (restarted without
     * persistence), ids still never go back, so clients never mistake a new message for one they have.
     */
    private static final String APPEND = """
            local key = ARGV[1] .. '\\0' .. ARGV[4]
            if ARGV[4] ~= '' then
              local seen = redis.call('ZSCORE', KEYS[3], key)
              if seen then return {0, tonumber(seen)} end
            end
            local id = redis.call('INCR', KEYS[2])
            local floor = tonumber(ARGV[6])
            if id <= floor then
              id = floor + 1
              redis.call('SET', KEYS[2], id)
            end
            redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[5], id .. '-0',
                'from', ARGV[1], 'text', ARGV[2], 'ts', ARGV[3], 'cid', ARGV[4])
            if ARGV[4] ~= '' then
              redis.call('ZADD', KEYS[3], id, key)
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', id - tonumber(ARGV[5]))
            end
            return {1, id}
            """;

    enum Outcome { STORED, DUPLICATE, UNAVAILABLE }

    record Appended(Outcome outcome, long id) {
    }

    private final RedisClient redis;
    private final Room room;
    private final int historySize;
    private final long presenceTtlMillis;
    private final String node = UUID.randomUUID().toString();
    private final Thread reader;
    private final Thread presence;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean readerUp;
    /** Where the reader starts: after the history loaded by start(), or null to load it first. */
    private StreamEntryID startPosition;

    RedisBackplane(String url, ChatSettings settings, Room room) {
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
        pool.setMaxTotal(32);
        pool.setMaxWait(Duration.ofSeconds(2));
        this.redis = RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
        this.room = room;
        this.historySize = settings.historySize();
        this.presenceTtlMillis = settings.presenceTtlMillis();
        this.reader = new Thread(this::readLoop, "chat-redis-reader");
        this.presence = new Thread(this::presenceLoop, "chat-redis-presence");
        reader.setDaemon(true);
        presence.setDaemon(true);
    }

    /**
     * Loads the retained history before returning when Redis answers, so the first page a restarted node serves
     * already shows it; otherwise the reader keeps trying in the background.
     */
    void start() {
        try {
            startPosition = loadNewest();
        } catch (RuntimeException e) {
            markReader(false, e);
        }
        reader.start();
        presence.start();
    }

    /** Hands the room the newest retained messages; returns the Stream position to read on from. */
    private StreamEntryID loadNewest() {
        List<StreamEntry> newest = new ArrayList<>(redis.xrevrange(STREAM, "+", "-", historySize));
        Collections.reverse(newest);
        room.deliver(messages(newest));
        return newest.isEmpty() ? new StreamEntryID(0, 0) : newest.get(newest.size() - 1).getID();
    }

    /** Stores a message; every node, this one included, then delivers it from the Stream. */
    Appended append(String from, String text, String cid, long timestamp, long floor) {
        try {
            Object reply = redis.eval(APPEND, List.of(STREAM, COUNTER, CLIENT_IDS),
                    List.of(from, text, Long.toString(timestamp), cid == null ? "" : cid,
                            Integer.toString(historySize), Long.toString(floor)));
            List<?> result = (List<?>) reply;
            long id = ((Number) result.get(1)).longValue();
            return new Appended(((Number) result.get(0)).longValue() == 1 ? Outcome.STORED : Outcome.DUPLICATE, id);
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis append failed: {0}", e.toString());
            return new Appended(Outcome.UNAVAILABLE, 0);
        }
    }

    /** The highest id Redis has given out, or -1 when Redis cannot be asked. */
    long lastIssuedId() {
        try {
            String value = redis.get(COUNTER);
            return value == null ? 0 : Long.parseLong(value);
        } catch (JedisException | NumberFormatException e) {
            return -1;
        }
    }

    boolean isUp() {
        return readerUp;
    }

    /** Delivers the Stream to the room, in order, from the newest retained entries at start to the end. */
    private void readLoop() {
        StreamEntryID position = startPosition;
        long backoff = 0;
        while (running) {
            try {
                if (position == null) {
                    position = loadNewest();
                }
                List<Map.Entry<String, List<StreamEntry>>> read = redis.xread(
                        XReadParams.xReadParams().block((int) READ_BLOCK_MILLIS).count(1000), Map.of(STREAM, position));
                markReader(true, null);
                backoff = 0;
                if (read != null) {
                    for (Map.Entry<String, List<StreamEntry>> stream : read) {
                        List<StreamEntry> entries = stream.getValue();
                        if (!entries.isEmpty()) {
                            room.deliver(messages(entries));
                            position = entries.get(entries.size() - 1).getID();
                        }
                    }
                }
            } catch (RuntimeException e) { // Jedis's, or a malformed entry: the loop must outlive both
                markReader(false, e);
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(250, backoff * 2));
                pause(backoff);
            }
        }
    }

    private void markReader(boolean up, Exception cause) {
        if (readerUp != up) {
            readerUp = up;
            if (up) {
                LOG.log(System.Logger.Level.INFO, "Redis reachable: reading the message stream");
            } else {
                LOG.log(System.Logger.Level.WARNING, "Redis unreachable, retrying: {0}", String.valueOf(cause));
            }
        }
    }

    private static List<ChatMessage> messages(List<StreamEntry> entries) {
        List<ChatMessage> messages = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            Map<String, String> fields = entry.getFields();
            String cid = fields.get("cid");
            messages.add(ChatMessage.create(entry.getID().getTime(), fields.get("from"), fields.get("text"),
                    Long.parseLong(fields.get("ts")), cid == null || cid.isEmpty() ? null : cid));
        }
        return messages;
    }

    /** Publishes this node's users and learns the other nodes', a few times per expiry period. */
    private void presenceLoop() {
        long interval = Math.max(200, Math.min(1000, presenceTtlMillis / 3));
        while (running) {
            try {
                publishLocalUsers();
                room.remoteUsers(otherNodesUsers());
            } catch (RuntimeException e) { // the loop must outlive Redis outages
                LOG.log(System.Logger.Level.DEBUG, () -> "presence refresh failed: " + e);
            }
            pause(interval);
        }
    }

    private void publishLocalUsers() {
        Map<String, String> users = new HashMap<>();
        room.localUsers().forEach(name -> users.put(name, "1"));
        String key = PRESENCE + node;
        if (users.isEmpty()) {
            redis.del(key);
            return;
        }
        // Replace the whole hash so users who left disappear; the expiry is the node's heartbeat.
        var transaction = redis.multi();
        transaction.del(key);
        transaction.hset(key, users);
        transaction.pexpire(key, presenceTtlMillis);
        transaction.exec();
    }

    private Set<String> otherNodesUsers() {
        Set<String> users = new HashSet<>();
        String own = PRESENCE + node;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match(PRESENCE + "*").count(100);
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            for (String key : page.getResult()) {
                if (!key.equals(own)) {
                    users.addAll(redis.hkeys(key));
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return users;
    }

    /** Waits, but wakes at once when the backplane closes. */
    private void pause(long millis) {
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops both loops and removes this node's users at once, rather than when they would expire. */
    @Override
    public void close() {
        running = false;
        stopped.countDown();
        try {
            reader.join(READ_BLOCK_MILLIS + 3000);
            presence.join(3000);
            redis.del(PRESENCE + node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not remove this node's presence: " + e);
        } finally {
            redis.close();
        }
    }
}
