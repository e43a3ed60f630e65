package chatroom.room;

import chatroom.Clock;
import chatroom.wire.Events;
import chatroom.wire.Frame;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces arrivals and departures into at most one presence frame per interval, however many there are: the
 * first change after a quiet interval goes out at once (a lone arrival shows without delay), later ones wait
 * until the interval since the last frame has passed and then go out together, each name with its last state
 * (one that came and went in between is listed as left). Not netting out is what keeps a member who joined within
 * the interval right: its welcome was the room as it was then, so "bob left, bob came back" must reach it as
 * "bob joined" even though older members never saw bob go; applying a frame is idempotent (adding a name already
 * listed, or removing one not listed, changes nothing), so older members lose nothing by it. The frame carries the
 * exact count at the moment it is built; named
 * users are listed up to {@link #MAX_NAMES} each way, guests only counted. Time is the injected {@link Clock}'s,
 * so tests move it by hand. Not thread-safe: the room's lock guards it.
 */
final class PresenceDigest {
    /** Names listed per frame in each of joined and left; the rest are counted in joinedMore / leftMore. */
    static final int MAX_NAMES = 50;

    private final long intervalNanos;
    private final Set<String> joined = new LinkedHashSet<>();
    private final Set<String> left = new LinkedHashSet<>();
    /** The count the last frame (or a welcome-only start) told members. */
    private int announcedOnline;
    private boolean changed;
    private long lastFrameNanos;
    private boolean sentAny;

    PresenceDigest(long intervalMillis) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    /** A named user came online: listed as joined, whatever it did earlier in the interval (the last state wins). */
    void joined(String name) {
        left.remove(name);
        joined.add(name);
        changed = true;
    }

    /** A named user went offline: listed as left, whatever it did earlier in the interval. */
    void left(String name) {
        joined.remove(name);
        left.add(name);
        changed = true;
    }

    /** A guest came or went: only the count changes. */
    void counted() {
        changed = true;
    }

    /**
     * The frame to fan out now, or null: nothing changed that members do not know, or the last frame went out
     * less than an interval ago (then a later call sends it). Clears what it reports.
     */
    Frame due(long nowNanos, int online) {
        if (!changed || sentAny && nowNanos - lastFrameNanos < intervalNanos) {
            return null;
        }
        changed = false;
        if (online == announcedOnline && joined.isEmpty() && left.isEmpty()) {
            return null; // everything that changed changed back
        }
        Frame frame = Events.presence(online, joined, left, MAX_NAMES);
        joined.clear();
        left.clear();
        announcedOnline = online;
        lastFrameNanos = nowNanos;
        sentAny = true;
        return frame;
    }
}
