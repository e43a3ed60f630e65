package chatroom.moderation;

import chatroom.nickname.NicknameForm;
import chatroom.room.Person;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What holds now, in memory, indexed for the checks on every join, post and nickname claim: bans by name key and
 * by client key, mutes by name key, rules by room, reserved names. A check is a few hash lookups, none when nothing
 * is banned or muted. Changed only by {@link Moderation#apply} (one writer at a time); read by any thread.
 */
final class Sanctions {
    private final Map<String, Ban> bans = new ConcurrentHashMap<>();
    private final Map<String, Ban> bansByName = new ConcurrentHashMap<>();
    private final Map<String, Ban> bansByAddress = new ConcurrentHashMap<>();
    private final Map<String, Mute> mutes = new ConcurrentHashMap<>();
    private final Map<String, RoomRules> rules = new ConcurrentHashMap<>();
    /** Name key to the name as signed in. */
    private final Map<String, String> reserved = new ConcurrentHashMap<>();

    void ban(Ban ban) {
        bans.put(ban.id(), ban);
        if (ban.name() != null) {
            NicknameForm.keys(ban.name()).forEach(key -> bansByName.put(key, ban));
        }
        ban.addresses().forEach(address -> bansByAddress.put(address, ban));
    }

    /** Lifts a ban; false when there was none by that id. */
    boolean lift(String id) {
        Ban ban = bans.remove(id);
        if (ban == null) {
            return false;
        }
        bansByName.values().removeIf(held -> held == ban);
        bansByAddress.values().removeIf(held -> held == ban);
        // A newer ban of the same name or address that this one shadowed in the index holds again.
        bans.values().forEach(other -> {
            if (other.name() != null) {
                NicknameForm.keys(other.name()).forEach(key -> bansByName.putIfAbsent(key, other));
            }
            other.addresses().forEach(address -> bansByAddress.putIfAbsent(address, other));
        });
        return true;
    }

    Ban ban(String id) {
        return bans.get(id);
    }

    /** The ban that holds for this person now (by any key of their name, or their client key), or null. */
    Ban banOf(Person person, long nowMillis) {
        if (bans.isEmpty()) {
            return null;
        }
        for (String key : person.nameKeys()) {
            Ban ban = holding(bansByName.get(key), nowMillis);
            if (ban != null) {
                return ban;
            }
        }
        return person.client() == null ? null : holding(bansByAddress.get(person.client()), nowMillis);
    }

    /** The ban that holds for a name (or a look-alike) now, or null. */
    Ban banOfName(String name, long nowMillis) {
        if (bans.isEmpty()) {
            return null;
        }
        for (String key : NicknameForm.keys(name)) {
            Ban ban = holding(bansByName.get(key), nowMillis);
            if (ban != null) {
                return ban;
            }
        }
        return null;
    }

    /** The ban that holds for a client key now, or null. */
    Ban banOfAddress(String client, long nowMillis) {
        return client == null || bans.isEmpty() ? null : holding(bansByAddress.get(client), nowMillis);
    }

    private static Ban holding(Ban ban, long nowMillis) {
        return ban != null && ban.holdsAt(nowMillis) ? ban : null;
    }

    /** Bans that hold now, newest first. */
    List<Ban> bans(long nowMillis) {
        List<Ban> holding = new ArrayList<>();
        for (Ban ban : bans.values()) {
            if (ban.holdsAt(nowMillis)) {
                holding.add(ban);
            }
        }
        holding.sort((a, b) -> Long.compare(b.since(), a.since()));
        return holding;
    }

    void mute(Mute mute) {
        NicknameForm.keys(mute.name()).forEach(key -> mutes.put(key, mute));
    }

    /** Lifts the mute of a name; false when none held. */
    boolean unmute(String name, long nowMillis) {
        boolean held = false;
        for (String key : NicknameForm.keys(name)) {
            Mute mute = mutes.remove(key);
            held |= mute != null && mute.holdsAt(nowMillis);
        }
        return held;
    }

    /** The mute that holds for this person now, or null. */
    Mute muteOf(Person person, long nowMillis) {
        if (mutes.isEmpty()) {
            return null;
        }
        for (String key : person.nameKeys()) {
            Mute mute = mutes.get(key);
            if (mute != null && mute.holdsAt(nowMillis)) {
                return mute;
            }
        }
        return null;
    }

    Mute muteOfName(String name, long nowMillis) {
        return muteOf(Person.of(name, false, false, null), nowMillis);
    }

    /** Mutes that hold now, once each, newest first. */
    List<Mute> mutes(long nowMillis) {
        return mutes.values().stream().distinct().filter(mute -> mute.holdsAt(nowMillis))
                .sorted((a, b) -> Long.compare(b.since(), a.since())).toList();
    }

    void rules(String room, RoomRules roomRules) {
        if (roomRules.equals(RoomRules.DEFAULT)) {
            rules.remove(room);
        } else {
            rules.put(room, roomRules);
        }
    }

    RoomRules rules(String room) {
        return rules.getOrDefault(room, RoomRules.DEFAULT);
    }

    /** The largest slow mode of any room, for forgetting posts no room's slow mode still counts. */
    int longestSlowModeSeconds() {
        return rules.values().stream().mapToInt(RoomRules::slowModeSeconds).max().orElse(0);
    }

    void reserve(String name) {
        NicknameForm.keys(name).forEach(key -> reserved.putIfAbsent(key, name));
    }

    /** The signed-in name a name is (or looks like), or null. */
    String reservedAs(String name) {
        if (reserved.isEmpty()) {
            return null;
        }
        for (String key : NicknameForm.keys(name)) {
            String holder = reserved.get(key);
            if (holder != null) {
                return holder;
            }
        }
        return null;
    }

    boolean isReserved(Collection<String> keys) {
        for (String key : keys) {
            if (!reserved.containsKey(key)) {
                return false;
            }
        }
        return true;
    }

    /** Drops mutes and bans that ended (housekeeping), so the indexes hold only what holds. */
    void forgetEnded(long nowMillis) {
        mutes.values().removeIf(mute -> !mute.holdsAt(nowMillis));
        List<String> ended = bans.values().stream().filter(ban -> !ban.holdsAt(nowMillis)).map(Ban::id).toList();
        ended.forEach(this::lift);
    }
}
