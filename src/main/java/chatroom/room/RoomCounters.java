package chatroom.room;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the room counts for /metrics, in adders (many threads, no contention). Deliveries, one per recipient, are
 * added once per fan-out, not once per recipient.
 */
public final class RoomCounters {
    private final LongAdder received = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final Map<Expulsion, LongAdder> expulsions = new EnumMap<>(Expulsion.class);

    RoomCounters() {
        for (Expulsion expulsion : Expulsion.values()) {
            expulsions.put(expulsion, new LongAdder());
        }
    }

    public LongAdder received() {
        return received;
    }

    public LongAdder accepted() {
        return accepted;
    }

    public LongAdder refused() {
        return refused;
    }

    public LongAdder rateLimited() {
        return rateLimited;
    }

    public LongAdder duplicates() {
        return duplicates;
    }

    public LongAdder sendFailures() {
        return sendFailures;
    }

    /** Frames queued to members: one per recipient per broadcast. */
    public LongAdder deliveries() {
        return deliveries;
    }

    /** Connections the server closed, by reason: the tags of {@code chat_closes_total}. */
    public LongAdder expulsions(Expulsion why) {
        return expulsions.get(why);
    }
}
