package chatroom.log;

import chatroom.wire.ChatMessage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where an accepted message gets its id and comes back from, in order: the seam between the rooms and storage.
 * One log serves every room of the deployment: ids come from one sequence, so each room's ids are strictly
 * increasing, and every accepted message reaches the one listener (the rooms), which hands it to its room.
 *
 * <p>The room {@link #append appends} what a member posts and hears every accepted message, its own included,
 * through its one {@link Listener}, in id order. So one node ({@link MemoryLog}, which calls the listener inside
 * {@code append}) and several ({@link RedisLog}, whose reader thread calls it) take the same path through the
 * room; the room never decides an id or recognises a retry itself. (The shape of Centrifuge's {@code Broker} with
 * its memory and Redis brokers.)
 *
 * <p>An append may complete later, on another thread (a store that commits in groups): the room waits on the
 * returned stage, never blocks on it. Reads may do I/O: the room never calls a log while it holds its own lock.
 */
public interface MessageLog extends AutoCloseable {

    /** What a member posted in a room, before it has an id; {@code signedIn}: the container signed them in. */
    record Draft(String room, String from, String text, String cid, long timestamp, boolean signedIn) {
        public Draft(String room, String from, String text, String cid, long timestamp) {
            this(room, from, text, cid, timestamp, false);
        }
    }

    /** How an append ended. */
    sealed interface Appended permits Stored, Duplicate, Unavailable {
    }

    /** Accepted with this id; the message reaches the listener like every other. */
    record Stored(long id) implements Appended {
    }

    /**
     * The sender already sent this {@code cid} within the retained history: nothing new is stored. {@code original}
     * is that message, or null when this node has not read it yet (then it arrives through the listener).
     */
    record Duplicate(ChatMessage original) implements Appended {
    }

    /** Not stored (the backend is unreachable); nobody sees the message. */
    record Unavailable(String why) implements Appended {
    }

    /**
     * What a room retains after an id: the messages, oldest first, and the id after which every message of the room
     * is retained (a client that has less than that may have missed some).
     */
    record Retained(long completeAfter, List<ChatMessage> messages) {
    }

    /** The one receiver of accepted messages: the rooms. */
    interface Listener {
        /**
         * Accepted messages in id order, each once. Called while the log holds its order: queue them and return;
         * no I/O, no call back into the log.
         */
        void deliver(List<ChatMessage> messages);

        /**
         * Called after {@link #deliver}, outside any lock of the log: the moment to start sending. Which threads
         * send is the listener's business; the log's thread goes on with the next batch.
         */
        void flush();
    }

    /** Starts delivering to the listener; called once, before the first append. */
    void start(Listener listener);

    /** Stores a message (a new id) or recognises a retried cid (the original): the one place either happens. */
    CompletionStage<Appended> append(Draft draft);

    /**
     * Brings a room's newest messages into memory (from the store or Redis: may do I/O), where they serve resume,
     * new pages and retries; from then on it keeps them as messages arrive. Does nothing for a room already open.
     */
    void open(String room);

    /**
     * Lets a room's messages leave memory (its last member left a while ago); they stay wherever the log keeps them.
     */
    void forget(String room);

    /**
     * A moderator deleted these messages of a room: they leave the log's memory (and its shared copy, in Redis), so
     * no resume, new page or retry shows them again. Ids the log does not hold are ignored; may do I/O.
     */
    void delete(String room, Collection<Long> ids);

    /** The newest id delivered to the listener, in any room, or the id the log starts after when none was. */
    long lastId();

    /** The newest id of an open room, or where its ids continue from when it has none retained. */
    long lastId(String room);

    /** The newest id given out anywhere (it may not have reached this node yet), or -1 when the log cannot say. */
    long lastIssuedId();

    /** An open room's retained messages with an id above {@code id}, oldest first. */
    Retained retainedAfter(String room, long id);

    /** An open room's newest {@code count} retained messages, oldest first. */
    List<ChatMessage> newest(String room, int count);

    /** How many messages are retained in memory, in all open rooms. */
    int retainedCount();

    /** Fields for /health, e.g. {@code redis=up}; empty when there is nothing to report. */
    Map<String, String> health();

    @Override
    void close();
}
