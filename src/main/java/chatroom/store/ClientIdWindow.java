package chatroom.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last N messages that carried a client id, by (room, sender, cid): how a re-sent message is recognised without a
 * database read. Not thread-safe: only the writer thread uses it.
 */
final class ClientIdWindow {
    private final Map<String, StoredMessage> byKey;

    ClientIdWindow(int capacity) {
        this.byKey = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StoredMessage> eldest) {
                return size() > capacity;
            }
        };
    }

    void add(StoredMessage message) {
        if (message.cid() != null) {
            // Remove first so a re-used key moves to the young end instead of keeping its old place.
            String key = key(message.room(), message.sender(), message.cid());
            byKey.remove(key);
            byKey.put(key, message);
        }
    }

    StoredMessage find(String room, String sender, String cid) {
        return cid == null ? null : byKey.get(key(room, sender, cid));
    }

    static String key(String room, String sender, String cid) {
        return room + '\u0000' + sender + '\u0000' + cid;
    }
}
