package chatroom.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who is online: connections per name on this node (two tabs of one user arrive once and leave once), and the
 * names other nodes hold (heard through the PresenceBus). Not thread-safe: the room's lock guards it.
 */
final class Presence {
    private final TreeMap<String, Integer> local = new TreeMap<>();
    private Set<String> remote = Set.of();

    /** Counts a connection; true when the name was not online anywhere before. */
    boolean arrive(String name) {
        return local.merge(name, 1, Integer::sum) == 1 && !remote.contains(name);
    }

    /** Uncounts a connection; true when the name is now online nowhere. */
    boolean depart(String name) {
        Integer left = local.merge(name, -1, (a, b) -> a + b == 0 ? null : a + b);
        return left == null && !remote.contains(name);
    }

    /** Everyone online, here and on other nodes, sorted. */
    Set<String> online() {
        if (remote.isEmpty()) {
            return local.keySet();
        }
        TreeSet<String> all = new TreeSet<>(local.keySet());
        all.addAll(remote);
        return all;
    }

    /** A copy of the names with a connection on this node. */
    Set<String> local() {
        return new TreeSet<>(local.keySet());
    }

    /** What changed for the room when other nodes now hold {@code now}. */
    record Changes(List<String> arrived, List<String> departed) {
    }

    Changes remote(Set<String> now) {
        Set<String> before = remote;
        remote = Set.copyOf(now);
        List<String> arrived = new ArrayList<>();
        List<String> departed = new ArrayList<>();
        for (String name : remote) {
            if (!before.contains(name) && !local.containsKey(name)) {
                arrived.add(name);
            }
        }
        for (String name : before) {
            if (!remote.contains(name) && !local.containsKey(name)) {
                departed.add(name);
            }
        }
        return new Changes(arrived, departed);
    }

    void clear() {
        local.clear();
        remote = Set.of();
    }
}
