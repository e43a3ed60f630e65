package chatroom.moderation;

import chatroom.cluster.Redis;
import chatroom.cluster.Worker;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Moderator actions through a Redis Stream ({@code chatroom:moderation}): the acting node appends, every node reads
 * it in order and applies each action, within a read's block (under a second). A node reads the stream from its
 * beginning when it starts, before it takes requests, so one that was down when a ban was made enforces it when it
 * comes back; those actions are handed on as replayed (applying an action twice changes nothing). The stream keeps
 * the last {@value #KEPT} actions.
 */
final class RedisModerationBus implements ModerationBus {
    private static final System.Logger LOG = System.getLogger(RedisModerationBus.class.getName());
    static final String STREAM = "chatroom:moderation";
    static final int KEPT = 100_000;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    private final RedisClient redis;
    private final Worker reader = new Worker("chat-moderation-reader", this::readLoop);
    private static final int READ_COUNT = 1000;
    private volatile ModerationBus.Applier apply;
    /** The last entry read; the reader's own once it runs. */
    private StreamEntryID position = new StreamEntryID(0, 0);
    /** Set once the entries there were when this node started have been read. */
    private boolean caughtUp;

    RedisModerationBus(RedisClient redis) {
        this.redis = redis;
    }

    @Override
    public void start(ModerationBus.Applier apply) {
        this.apply = apply;
        try {
            catchUp();
        } catch (JedisException e) { // the reader catches up once Redis answers
            LOG.log(System.Logger.Level.WARNING, "reading past moderator actions failed: {0}", e.toString());
        }
        reader.start();
    }

    /** Reads, as replayed, the entries up to the newest there is now. */
    private void catchUp() {
        List<StreamEntry> newest = redis.xrevrange(STREAM, "+", "-", 1);
        if (!newest.isEmpty()) {
            StreamEntryID end = newest.get(0).getID();
            while (position.compareTo(end) < 0) {
                for (StreamEntry entry : redis.xrange(STREAM, "(" + position, end.toString(), READ_COUNT)) {
                    position = entry.getID();
                    applyEntry(entry, true);
                }
            }
        }
        caughtUp = true;
    }

    @Override
    public boolean publish(Action action) {
        try {
            redis.xadd(STREAM, XAddParams.xAddParams().maxLen(KEPT).approximateTrimming(),
                    Map.of("action", action.toJson()));
            return true;
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "publishing a moderator action failed: {0}", e.toString());
            return false;
        }
    }

    private void readLoop() {
        long backoff = 0;
        while (reader.running()) {
            try {
                if (!caughtUp) {
                    catchUp();
                }
                List<StreamEntry> entries = Redis.readAfter(redis, STREAM, position, READ_COUNT);
                backoff = 0;
                for (StreamEntry entry : entries) {
                    position = entry.getID();
                    applyEntry(entry, false);
                }
            } catch (JedisException e) {
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(250, backoff * 2));
                LOG.log(System.Logger.Level.DEBUG, () -> "reading moderator actions failed: " + e);
                reader.pause(backoff);
            }
        }
    }

    /** One malformed entry is skipped with a warning; the stream goes on. */
    private void applyEntry(StreamEntry entry, boolean replayed) {
        try {
            apply.apply(Action.fromJson(entry.getFields().get("action")), replayed);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "moderator action " + entry.getID() + " not applied", e);
        }
    }

    @Override
    public void close() {
        reader.stop(Redis.READ_BLOCK_MILLIS + 1000);
    }
}
