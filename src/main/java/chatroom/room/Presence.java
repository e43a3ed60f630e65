package chatroom.room;

import chatroom.nickname.NicknameForm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who is online: connections per name on this node (two tabs of one user arrive once and leave once), and the
 * names other nodes hold (heard through the PresenceBus). Guests ({@code guest-<n>}, one connection each) are
 * counted apart from named users, so the exact count and a bounded list of names never cost a walk over every
 * guest. Not thread-safe: the room's lock guards it.
 */
final class Presence {
    /** Named users with a connection here, and how many connections each has. */
    private final TreeMap<String, Integer> named = new TreeMap<>();
    /** Guests with a connection here (a guest name is one connection). */
    private final Set<String> guests = new HashSet<>();
    /** Sorted once per refresh, so a welcome's bounded list is a merge of two sorted walks. */
    private TreeSet<String> remoteNamed = new TreeSet<>();
    private int remoteGuests;
    /** How many of {@link #remoteNamed} have no connection here: kept so {@link #online()} is O(1). */
    private int remoteOnly;

    static boolean isGuest(String name) {
        return name.startsWith(NicknameForm.GUEST_PREFIX);
    }

    /** Counts a connection; true when the name was not online anywhere before (the count grew). */
    boolean arrive(String name) {
        if (isGuest(name)) {
            return guests.add(name);
        }
        if (named.merge(name, 1, Integer::sum) > 1) {
            return false;
        }
        if (remoteNamed.contains(name)) {
            remoteOnly--;
            return false;
        }
        return true;
    }

    /** Uncounts a connection; true when the name is now online nowhere (the count shrank). */
    boolean depart(String name) {
        if (isGuest(name)) {
            return guests.remove(name);
        }
        Integer left = named.merge(name, -1, (a, b) -> a + b == 0 ? null : a + b);
        if (left != null) {
            return false;
        }
        if (remoteNamed.contains(name)) {
            remoteOnly++;
            return false;
        }
        return true;
    }

    /** The exact number of people online, here and on other nodes: named users once each, every guest. */
    int online() {
        return named.size() + remoteOnly + guests.size() + remoteGuests;
    }

    /** Up to {@code limit} named users online, here and on other nodes, sorted. */
    List<String> names(int limit) {
        List<String> out = new ArrayList<>(Math.min(limit, named.size() + remoteNamed.size()));
        Iterator<String> here = named.keySet().iterator();
        Iterator<String> there = remoteNamed.isEmpty() ? here : remoteNamed.iterator();
        String a = next(here);
        String b = there == here ? null : next(there);
        while (out.size() < limit && (a != null || b != null)) {
            int order = a == null ? 1 : b == null ? -1 : a.compareTo(b);
            out.add(order <= 0 ? a : b);
            if (order <= 0) {
                a = next(here);
            }
            if (order >= 0) {
                b = next(there);
            }
        }
        return out;
    }

    private static String next(Iterator<String> names) {
        return names.hasNext() ? names.next() : null;
    }

    /** A copy of the names with a connection on this node (guests included: other nodes count them). */
    Set<String> local() {
        Set<String> all = new TreeSet<>(named.keySet());
        all.addAll(guests);
        return all;
    }

    /** What changed for the room's named users when other nodes now hold {@code now}. */
    record Changes(List<String> arrived, List<String> departed) {
    }

    Changes remote(Set<String> now) {
        Set<String> before = remoteNamed;
        TreeSet<String> nowNamed = new TreeSet<>();
        int nowGuests = 0;
        for (String name : now) {
            if (isGuest(name)) {
                nowGuests++;
            } else {
                nowNamed.add(name);
            }
        }
        remoteNamed = nowNamed;
        remoteGuests = nowGuests;
        List<String> arrived = new ArrayList<>();
        List<String> departed = new ArrayList<>();
        int only = 0;
        for (String name : remoteNamed) {
            if (!named.containsKey(name)) {
                only++;
                if (!before.contains(name)) {
                    arrived.add(name);
                }
            }
        }
        remoteOnly = only;
        for (String name : before) {
            if (!remoteNamed.contains(name) && !named.containsKey(name)) {
                departed.add(name);
            }
        }
        return new Changes(arrived, departed);
    }

    void clear() {
        named.clear();
        guests.clear();
        remoteNamed = new TreeSet<>();
        remoteGuests = 0;
        remoteOnly = 0;
    }
}
