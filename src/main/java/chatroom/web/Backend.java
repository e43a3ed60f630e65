package chatroom.web;

import chatroom.ChatSettings;
import chatroom.cluster.PresenceBus;
import chatroom.cluster.Redis;
import chatroom.cluster.RedisPresence;
import chatroom.log.ArchivedLog;
import chatroom.log.MemoryLog;
import chatroom.log.MessageLog;
import chatroom.log.RedisLog;
import chatroom.log.StoredLog;
import chatroom.nickname.NameRegistry;
import chatroom.nickname.RedisNames;
import chatroom.room.FanOut;
import chatroom.store.MessageStore;
import chatroom.store.StoreArchive;
import chatroom.store.StoreSpace;
import redis.clients.jedis.RedisClient;

/**
 * The message log, presence bus and name registry the settings ask for: the store for one node, Redis (with the
 * store as archive) for several (log, presence and names through one client, closed last).
 */
public record Backend(MessageLog log, FanOut fanOut, PresenceBus presence, NameRegistry names, AutoCloseable client)
        implements AutoCloseable {
    /** Delivered messages waiting for the store while it is slow or away, per node. */
    private static final int ARCHIVE_QUEUE = 100_000;

    /**
     * One node: the store gives ids and keeps every message ({@link StoredLog}). Several (Redis): Redis gives ids
     * and delivers, and each node copies what it delivers into the store ({@link ArchivedLog}). Without a store
     * ({@code chat.store.enabled=false}, null here) history lives in memory or in Redis only. While {@code space}
     * is short, one node refuses new messages.
     */
    public static Backend from(ChatSettings settings, MessageStore store, StoreSpace space) {
        if (settings.redisUrl() == null) {
            if (store == null) { // delivers on the sender's thread: the senders share the sending
                return new Backend(MemoryLog.startingNow(settings.historySize()), FanOut.inline(),
                        PresenceBus.SINGLE_NODE, NameRegistry.SINGLE_NODE, () -> { });
            }
            return new Backend(StoredLog.startingNow(store, settings.historySize(), space),
                    FanOut.threads("chat-fan-out"),
                    PresenceBus.SINGLE_NODE, NameRegistry.SINGLE_NODE, () -> { });
        }
        RedisClient redis = Redis.connect(settings.redisUrl());
        MessageLog redisLog = new RedisLog(redis, settings.historySize(), settings.rooms().defaultRoom());
        MessageLog log = store == null ? redisLog : new ArchivedLog(redisLog, StoreArchive.start(store, ARCHIVE_QUEUE));
        return new Backend(log, FanOut.threads("chat-fan-out"), new RedisPresence(redis, settings.presenceTtlMillis()),
                new RedisNames(redis, settings.presenceTtlMillis()), redis);
    }

    /** The Redis client when there are several nodes; null on one. */
    public RedisClient redis() {
        return client instanceof RedisClient redis ? redis : null;
    }

    /**
     * Presence and names first (they remove this node's users and names through the client), then the log, then the
     * client.
     */
    @Override
    public void close() {
        presence.close();
        names.close();
        log.close();
        try {
            client.close();
        } catch (Exception e) {
            System.getLogger(Backend.class.getName())
                    .log(System.Logger.Level.DEBUG, () -> "closing the client failed: " + e);
        }
    }
}
