package chatroom.log;

import chatroom.wire.ChatMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The last N accepted messages of one room, oldest first, and the index of their client ids ({@code cid}) used to
 * recognise a re-sent message. Not thread-safe: its log guards it.
 *
 * <p>Ids are unique in the deployment, so a room's ids have gaps where other rooms talked: what is complete is said
 * by {@link #completeAfter()}, never by counting ids.
 */
final class History {
    private final int capacity;
    private final ArrayDeque<ChatMessage> messages;
    private final Map<String, ChatMessage> byClientId = new HashMap<>();
    /** Every message of the room with a larger id is retained here; ids up to it may be missing. */
    private long completeAfter;

    History(int capacity) {
        this(capacity, 0);
    }

    /** @param completeAfter the room may have had messages up to this id that this history will never hold */
    History(int capacity, long completeAfter) {
        this.capacity = capacity;
        this.messages = new ArrayDeque<>(Math.min(capacity, 16));
        this.completeAfter = completeAfter;
    }

    /** Adds the newest message; one no newer than the newest retained is ignored (it came twice). */
    void add(ChatMessage message) {
        if (!messages.isEmpty() && message.id() <= messages.peekLast().id()) {
            return;
        }
        if (messages.size() == capacity) {
            ChatMessage evicted = messages.removeFirst();
            completeAfter = evicted.id();
            if (evicted.cid() != null) {
                byClientId.remove(key(evicted.from(), evicted.cid()), evicted);
            }
        }
        messages.addLast(message);
        if (message.cid() != null) {
            byClientId.put(key(message.from(), message.cid()), message);
        }
    }

    /** Takes a message out (a moderator deleted it), its cid with it; the gap it leaves is like any other. */
    void remove(long id) {
        ChatMessage message = byId(id);
        if (message != null) {
            messages.remove(message);
            if (message.cid() != null) {
                byClientId.remove(key(message.from(), message.cid()), message);
            }
        }
    }

    /** The retained message this user already sent with this cid, or null. */
    ChatMessage findByClientId(String from, String cid) {
        return byClientId.get(key(from, cid));
    }

    /** The retained message with this id, or null; searched from the newest (asked for recent ids). */
    ChatMessage byId(long id) {
        for (Iterator<ChatMessage> it = messages.descendingIterator(); it.hasNext(); ) {
            ChatMessage message = it.next();
            if (message.id() <= id) {
                return message.id() == id ? message : null;
            }
        }
        return null;
    }

    /** Every message of the room with an id above this one is retained. */
    long completeAfter() {
        return completeAfter;
    }

    /** The newest retained id, or {@link #completeAfter()} when nothing is retained. */
    long lastId() {
        return messages.isEmpty() ? completeAfter : messages.peekLast().id();
    }

    int size() {
        return messages.size();
    }

    /** Retained messages with an id greater than {@code id}, oldest first. */
    List<ChatMessage> after(long id) {
        ArrayList<ChatMessage> newer = new ArrayList<>();
        for (Iterator<ChatMessage> it = messages.descendingIterator(); it.hasNext(); ) {
            ChatMessage message = it.next();
            if (message.id() <= id) {
                break;
            }
            newer.add(message);
        }
        Collections.reverse(newer);
        return newer;
    }

    /** The newest {@code count} messages, oldest first. */
    List<ChatMessage> newest(int count) {
        ArrayList<ChatMessage> newest = new ArrayList<>(Math.min(count, messages.size()));
        for (Iterator<ChatMessage> it = messages.descendingIterator(); it.hasNext() && newest.size() < count; ) {
            newest.add(it.next());
        }
        Collections.reverse(newest);
        return newest;
    }

    private static String key(String from, String cid) {
        return from + '\u0000' + cid;
    }
}
