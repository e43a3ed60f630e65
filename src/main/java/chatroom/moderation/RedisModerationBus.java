package chatroom.moderation;

import chatroom.cluster.Redis;
import chatroom.cluster.Worker;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Moderator actions through a Redis Stream ({@code chatroom:moderation}): the acting node appends, every node reads
 * it in order and applies each action, within a read's block (under a second). A node reads the stream from its
 * beginning when it starts, so one that was down when a ban was made enforces it when it comes back (applying an
 * action twice changes nothing). The stream keeps the last {@value #KEPT} actions.
 */
final class RedisModerationBus implements ModerationBus {
    private static final System.Logger LOG = System.getLogger(RedisModerationBus.class.getName());
    static final String STREAM = "chatroom:moderation";
    static final int KEPT = 100_000;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    private final RedisClient redis;
    private final Worker reader = new Worker("chat-moderation-reader", this::readLoop);
    private volatile Consumer<Action> apply;

    RedisModerationBus(RedisClient redis) {
        this.redis = redis;
    }

    @Override
    public void start(Consumer<Action> apply) {
        this.apply = apply;
        reader.start();
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
        StreamEntryID position = new StreamEntryID(0, 0);
        long backoff = 0;
        while (reader.running()) {
            try {
                List<StreamEntry> entries = Redis.readAfter(redis, STREAM, position, 1000);
                backoff = 0;
                for (StreamEntry entry : entries) {
                    position = entry.getID();
                    applyEntry(entry);
                }
            } catch (JedisException e) {
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(250, backoff * 2));
                LOG.log(System.Logger.Level.DEBUG, () -> "reading moderator actions failed: " + e);
                reader.pause(backoff);
            }
        }
    }

    /** One malformed entry is skipped with a warning; the stream goes on. */
    private void applyEntry(StreamEntry entry) {
        try {
            apply.accept(Action.fromJson(entry.getFields().get("action")));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "moderator action " + entry.getID() + " not applied", e);
        }
    }

    @Override
    public void close() {
        reader.stop(Redis.READ_BLOCK_MILLIS + 1000);
    }
}
