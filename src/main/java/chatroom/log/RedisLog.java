package chatroom.log;

import chatroom.cluster.Redis;
import chatroom.cluster.Worker;
import chatroom.wire.ChatMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Several nodes, one room: Redis gives every message its id and keeps the history; each node reads it back.
 *
 * <ul>
 * <li>A message is appended by one Lua script, atomically: a cid this user already sent within the retained
 * history returns the original id; otherwise the counter is incremented and the message added to a Stream capped
 * at the history size, with the id as its entry id.</li>
 * <li>Each node reads the Stream on a thread of its own and hands the listener every entry in Stream order, its
 * own messages included: one order for the whole room; the listener starts the sends on threads of its own, so
 * the reader reads on meanwhile. This node's copy of the Stream's tail answers history reads.</li>
 * </ul>
 * Appends do not wait on the container's thread: {@link PipelinedAppends} sends whatever has queued meanwhile as
 * one pipeline of scripts, one round trip for the lot, so two nodes append as fast as one. While Redis is
 * unreachable, appends fail ({@link Unavailable}: maybe stored, maybe not; a retry with the same cid is
 * recognised), the reader retries with backoff and resumes from the last entry it delivered, so nothing is missed
 * or delivered twice.
 */
public final class RedisLog implements MessageLog {
    private static final System.Logger LOG = System.getLogger(RedisLog.class.getName());
    private static final String PREFIX = "chatroom:";
    /** Every room's messages in id order: what every node reads and delivers. */
    private static final String STREAM = PREFIX + "messages";
    /** One room's newest messages ({@code PREFIX + "room:" + name}): what a node opening the room reads. */
    private static final String ROOM_STREAM = PREFIX + "room:";
    /** The shared stream holds at least this many entries, so a reader that was away a moment misses nothing. */
    private static final int STREAM_MIN_LENGTH = 10_000;
    private static final String COUNTER = PREFIX + "last-id";
    /** One room's client ids ({@code PREFIX + "client-ids:" + name}) by the id of their message. */
    private static final String CLIENT_IDS = PREFIX + "client-ids:";
    private static final long MAX_BACKOFF_MILLIS = 2000;

    /**
     * KEYS: stream, counter, the room's client-id index, the room's stream (a retry is recognised while its message
     * is in the room's stream). ARGV: from, text, ts, cid ('' for none), history size, floor, room, the shared
     * stream's length, signed in ('1' or ''). The floor is the highest id this node has seen: if Redis lost its data
     * (restarted without persistence), ids still never go back, so clients never mistake a new message for one they
     * have.
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
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[8], id .. '-0',
                'room', ARGV[7], 'from', ARGV[1], 'text', ARGV[2], 'ts', ARGV[3], 'cid', ARGV[4], 'signedIn', ARGV[9])
            redis.call('XADD', KEYS[4], 'MAXLEN', ARGV[5], id .. '-0',
                'room', ARGV[7], 'from', ARGV[1], 'text', ARGV[2], 'ts', ARGV[3], 'cid', ARGV[4], 'signedIn', ARGV[9])
            if ARGV[4] ~= '' then
              redis.call('ZADD', KEYS[3], id, key)
              local oldest = redis.call('XRANGE', KEYS[4], '-', '+', 'COUNT', 1)
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. string.match(oldest[1][1], '^%d+'))
            end
            return {1, id}
            """;

    private final RedisClient redis;
    private final int historySize;
    private final String defaultRoom;
    private final Worker reader = new Worker("chat-redis-reader", this::readLoop);
    /** Starts the sends of each batch read, so the reader goes on to read the next. */
    private final PipelinedAppends<Draft, Appended> appends =
            new PipelinedAppends<>("chat-redis-appender", this::appendAll, RedisLog::unavailable);
    private volatile boolean readerUp;
    private volatile Listener listener;
    /** The newest messages of each open room; guarded by itself. */
    private final Windows windows;
    /** The newest id delivered; written by the reader only. */
    private volatile long lastId;

    public RedisLog(RedisClient redis, int historySize) {
        this(redis, historySize, "general");
    }

    /** @param defaultRoom the room of entries written before rooms existed (they have no room field) */
    public RedisLog(RedisClient redis, int historySize, String defaultRoom) {
        this.redis = redis;
        this.defaultRoom = defaultRoom;
        this.historySize = historySize;
        this.windows = new Windows(historySize);
    }

    /**
     * The reader starts at the shared stream's beginning: what it holds reaches the listener (an archive stores what
     * no node stored yet); open rooms' windows are read from their own streams.
     */
    @Override
    public void start(Listener listener) {
        this.listener = listener;
        appends.start();
        reader.start();
    }

    /**
     * Reads the room's newest messages from its own stream when Redis answers (else the room opens empty and fills
     * as messages arrive), merged with what the reader delivered meanwhile.
     */
    @Override
    public void open(String room) {
        long floor;
        synchronized (windows) {
            if (windows.isOpen(room)) {
                return;
            }
            floor = lastId;
            windows.open(room, List.of(), floor);
        }
        List<ChatMessage> loaded = List.of();
        try {
            List<StreamEntry> newest = new ArrayList<>(redis.xrevrange(ROOM_STREAM + room, "+", "-", historySize));
            Collections.reverse(newest);
            loaded = newest.stream().map(this::message).toList();
        } catch (RuntimeException e) {
            markReader(false, e);
        }
        synchronized (windows) {
            windows.merge(room, loaded, floor);
        }
    }

    /** Out of this node's window, and out of both streams (every node does it: deleting twice is nothing). */
    @Override
    public void delete(String room, Collection<Long> ids) {
        synchronized (windows) {
            windows.remove(room, ids);
        }
        StreamEntryID[] entries = ids.stream().map(id -> new StreamEntryID(id, 0)).toArray(StreamEntryID[]::new);
        try {
            redis.xdel(STREAM, entries);
            redis.xdel(ROOM_STREAM + room, entries);
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "deleting messages from Redis failed: {0}", e.toString());
        }
    }

    @Override
    public void forget(String room) {
        synchronized (windows) {
            windows.forget(room);
        }
    }

    @Override
    public CompletionStage<Appended> append(Draft draft) {
        return appends.append(draft);
    }

    /** One round trip: every draft's script in one pipeline; their outcomes in order, or a throw for the lot. */
    private List<Appended> appendAll(List<Draft> drafts) {
        List<Response<Object>> replies = new ArrayList<>(drafts.size());
        String floor = Long.toString(lastId);
        String streamLength = Integer.toString(Math.max(STREAM_MIN_LENGTH, historySize));
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Draft draft : drafts) {
                replies.add(pipeline.eval(APPEND,
                        List.of(STREAM, COUNTER, CLIENT_IDS + draft.room(), ROOM_STREAM + draft.room()),
                        List.of(draft.from(), draft.text(), Long.toString(draft.timestamp()),
                                draft.cid() == null ? "" : draft.cid(), Integer.toString(historySize), floor,
                                draft.room(), streamLength, draft.signedIn() ? "1" : "")));
            }
            pipeline.sync();
        }
        List<Appended> outcomes = new ArrayList<>(drafts.size());
        for (int i = 0; i < replies.size(); i++) {
            List<?> result = (List<?>) replies.get(i).get();
            long id = ((Number) result.get(1)).longValue();
            if (((Number) result.get(0)).longValue() == 1) {
                outcomes.add(new Stored(id)); // every node, this one included, delivers it from the Stream
            } else {
                synchronized (windows) {
                    History window = windows.of(drafts.get(i).room());
                    outcomes.add(new Duplicate(window == null ? null : window.byId(id)));
                }
            }
        }
        return outcomes;
    }

    private static Appended unavailable(RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Redis append failed: {0}", e.toString());
        return new Unavailable(e.toString());
    }

    @Override
    public long lastId() {
        return lastId;
    }

    /** The highest id Redis has given out, or -1 when Redis cannot be asked. */
    @Override
    public long lastIssuedId() {
        try {
            String value = redis.get(COUNTER);
            return value == null ? 0 : Long.parseLong(value);
        } catch (JedisException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public long lastId(String room) {
        synchronized (windows) {
            History window = windows.of(room);
            return window == null ? lastId : window.lastId();
        }
    }

    @Override
    public Retained retainedAfter(String room, long id) {
        synchronized (windows) {
            History window = windows.of(room);
            return window == null ? new Retained(lastId, List.of())
                    : new Retained(window.completeAfter(), window.after(id));
        }
    }

    @Override
    public List<ChatMessage> newest(String room, int count) {
        synchronized (windows) {
            History window = windows.of(room);
            return window == null ? List.of() : window.newest(count);
        }
    }

    @Override
    public int retainedCount() {
        synchronized (windows) {
            return windows.size();
        }
    }

    /** "down" while the reader cannot reach Redis; the node still serves its connections. */
    @Override
    public Map<String, String> health() {
        return Map.of("redis", readerUp ? "up" : "down");
    }

    /** Delivers the shared stream to the listener, in order, from what it holds at start to the end. */
    private void readLoop() {
        StreamEntryID position = new StreamEntryID(0, 0);
        long backoff = 0;
        while (reader.running()) {
            try {
                List<StreamEntry> entries = Redis.readAfter(redis, STREAM, position, 1000);
                markReader(true, null);
                backoff = 0;
                if (!entries.isEmpty()) {
                    deliver(entries);
                    position = entries.get(entries.size() - 1).getID();
                }
            } catch (RuntimeException e) { // Jedis's, or a malformed entry: the loop must outlive both
                markReader(false, e);
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(250, backoff * 2));
                reader.pause(backoff);
            }
        }
    }

    /** Entries this node has not delivered yet go into their rooms' windows and to the listener. */
    private void deliver(List<StreamEntry> entries) {
        List<ChatMessage> read = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            read.add(message(entry)); // all or none: a malformed entry fails the batch before anything is delivered
        }
        List<ChatMessage> fresh = new ArrayList<>(read.size());
        synchronized (windows) {
            for (ChatMessage message : read) {
                if (message.id() > lastId) {
                    windows.add(message);
                    lastId = message.id();
                    fresh.add(message);
                }
            }
        }
        if (!fresh.isEmpty()) {
            listener.deliver(fresh); // only this thread delivers: the order is the Stream's
            listener.flush();
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

    private ChatMessage message(StreamEntry entry) {
        Map<String, String> fields = entry.getFields();
        String cid = fields.get("cid");
        return ChatMessage.create(fields.getOrDefault("room", defaultRoom), entry.getID().getTime(), fields.get("from"),
                fields.get("text"),
                Long.parseLong(fields.get("ts")), cid == null || cid.isEmpty() ? null : cid,
                "1".equals(fields.get("signedIn")));
    }

    /** Stops the reader; the Redis client belongs to whoever created it. */
    @Override
    public void close() {
        appends.stop(3000);
        reader.stop(Redis.READ_BLOCK_MILLIS + 3000);
    }
}
