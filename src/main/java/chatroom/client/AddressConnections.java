package chatroom.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections each client ({@link ClientKey}) holds, against a cap: a client that opens thousands of
 * sockets is refused past it, whatever else it does. A client with none left is forgotten, so the table holds one
 * small entry per client with an open connection: it is bounded by the open connections themselves (each of which
 * costs far more), and it refuses only a client at its own cap, never one it does not know. Any thread may call.
 */
public final class AddressConnections {
    private final int cap;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public AddressConnections(int cap) {
        this.cap = cap;
    }

    /** Whether one more connection would stay within the cap (a hint: {@link #open} decides). */
    public boolean admits(String address) {
        return address == null || open.getOrDefault(address, 0) < cap;
    }

    /** Counts a connection; false (and nothing counted) when the address already holds {@code cap}. */
    public boolean open(String address) {
        if (address == null) {
            return true;
        }
        boolean[] admitted = {false};
        open.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < cap;
            return admitted[0] ? now + 1 : count;
        });
        return admitted[0];
    }

    public void closed(String address) {
        if (address != null) {
            open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    int addresses() {
        return open.size();
    }
}
