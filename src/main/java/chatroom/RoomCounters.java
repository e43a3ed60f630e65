package chatroom;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the room counts for /metrics. Per-message events use adders (many threads, no contention); the
 * per-recipient count is summed by the room under its own lock, see {@link Room#deliveries()}.
 */
final class RoomCounters {
    final LongAdder received = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final Map<Expulsion, LongAdder> expulsions = new EnumMap<>(Expulsion.class);

    RoomCounters() {
        for (Expulsion expulsion : Expulsion.values()) {
            expulsions.put(expulsion, new LongAdder());
        }
    }
}
