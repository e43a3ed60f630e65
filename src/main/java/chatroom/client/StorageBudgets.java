package chatroom.client;

import chatroom.wire.Frame;
import java.util.concurrent.TimeUnit;

/**
 * What each client ({@link ClientKey}) may make the server store: {@code bytesPerDay} bytes a day, as a bucket
 * that holds a day's bytes and refills continuously over the day, so a client may spend its day at once and then
 * gets back a little every second. What counts is about what a message costs the store: its text, sender and
 * client id in UTF-8 plus {@link #ROW_OVERHEAD}. At most {@link #MAX_CLIENTS} are tracked ({@link ClientTable}):
 * past that the one that sent longest ago starts afresh, so nobody is ever refused for being new. Any thread may
 * call.
 */
public final class StorageBudgets {
    /** The id, timestamp and index entries of a stored message, beyond its text, sender and client id. */
    static final int ROW_OVERHEAD = 64;
    static final int MAX_CLIENTS = 50_000;
    private static final long DAY_NANOS = TimeUnit.DAYS.toNanos(1);

    private final long bytesPerDay;
    private final ClientTable<long[]> spent;

    /** @param bytesPerDay 0: no limit */
    public StorageBudgets(long bytesPerDay) {
        this(bytesPerDay, MAX_CLIENTS);
    }

    StorageBudgets(long bytesPerDay, int maxClients) {
        this.bytesPerDay = bytesPerDay;
        this.spent = new ClientTable<>(maxClients);
    }

    /** What storing this message costs, in bytes. */
    public static long cost(String text, String sender, String cid) {
        return utf8(text) + utf8(sender) + utf8(cid) + ROW_OVERHEAD;
    }

    /**
     * Takes {@code bytes} from {@code client}'s day (null: unknown, no limit); false, and nothing taken, when
     * they do not fit in what is left of it.
     */
    public boolean take(String client, long bytes, long nowNanos) {
        if (bytesPerDay == 0 || client == null) {
            return true;
        }
        // {bytes left, when last refilled}
        return spent.apply(client, nowNanos, () -> new long[] {bytesPerDay, nowNanos}, left -> {
            long elapsed = Math.max(0, nowNanos - left[1]);
            left[1] = Math.max(left[1], nowNanos);
            long refill = elapsed >= DAY_NANOS ? bytesPerDay : (long) ((double) elapsed / DAY_NANOS * bytesPerDay);
            left[0] = Math.min(bytesPerDay, left[0] + refill);
            if (bytes > left[0]) {
                return false;
            }
            left[0] -= bytes;
            return true;
        });
    }

    private static long utf8(String s) {
        return s == null ? 0 : Frame.utf8Length(s);
    }
}
