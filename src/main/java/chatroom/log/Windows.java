package chatroom.log;

import chatroom.wire.ChatMessage;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest messages of each room that is in memory, one {@link History} per room: what serves resume, new pages
 * and retries. A room that left memory has no window; its history is wherever the log keeps it. Not thread-safe:
 * its log guards it.
 */
final class Windows {
    private final int capacity;
    private final Map<String, History> rooms = new HashMap<>();

    Windows(int capacity) {
        this.capacity = capacity;
    }

    /** The room's window, or null when the room is not in memory. */
    History of(String room) {
        return rooms.get(room);
    }

    boolean isOpen(String room) {
        return rooms.containsKey(room);
    }

    /**
     * Opens a room's window with its newest messages as the log keeps them, oldest first, which are complete down to
     * the oldest of them (or, when there is none, after {@code floor}: the room may have had older ones).
     */
    History open(String room, List<ChatMessage> newest, long floor) {
        History window = new History(capacity, newest.isEmpty() ? floor : newest.get(0).id() - 1);
        newest.forEach(window::add);
        rooms.put(room, window);
        return window;
    }

    /**
     * Opens the window with what was added to it while it was loading: the loaded messages first, then those, each
     * once, so a delivery between the load and now is neither lost nor doubled.
     */
    void merge(String room, List<ChatMessage> loaded, long floor) {
        History meanwhile = rooms.get(room);
        History window = open(room, loaded, floor);
        if (meanwhile != null) {
            meanwhile.after(0).forEach(window::add);
        }
    }

    /** Adds a delivered message to its room's window, if the room is in memory. */
    void add(ChatMessage message) {
        History window = rooms.get(message.room());
        if (window != null) {
            window.add(message);
        }
    }

    /** Takes deleted messages out of their room's window, if the room is in memory. */
    void remove(String room, Collection<Long> ids) {
        History window = rooms.get(room);
        if (window != null) {
            ids.forEach(window::remove);
        }
    }

    void forget(String room) {
        rooms.remove(room);
    }

    /** Messages held in all windows. */
    int size() {
        int size = 0;
        for (History window : rooms.values()) {
            size += window.size();
        }
        return size;
    }

}
