package chatroom.store;

import java.time.Duration;

/**
 * The store's operator settings (read with the others by {@code ChatSettings}).
 *
 * @param enabled {@code chat.store.enabled}: false keeps history in memory only, as before the store existed
 * @param dir {@code chat.store.dir}: the embedded database's directory, or null for {@link StoreLocation}'s default
 * @param keepDays {@code chat.store.keepDays}: messages older than this many days are purged; 0 keeps them
 * @param keepMessages {@code chat.store.keepMessages}: only the newest this many are kept; 0 keeps all
 * @param purgeIntervalMillis {@code chat.store.purgeIntervalMillis}: how often the purge runs
 * @param bytesPerClientPerDay {@code chat.store.bytesPerClientPerDay}: what one client may make the server store
 *                             in a day (text, name and client id of its messages); 0: no limit
 * @param minFreeBytes {@code chat.store.minFreeBytes}: below this much usable space on the embedded database's
 *                     volume the room refuses new messages; 0: no watch
 */
public record StoreSettings(boolean enabled, String dir, int keepDays, int keepMessages, long purgeIntervalMillis,
                            long bytesPerClientPerDay, long minFreeBytes) {
    /** The default retention: the newest million messages (about 200 MB of typical chat, 10 GB at most). */
    public static final int DEFAULT_KEEP_MESSAGES = 1_000_000;
    public static final long DEFAULT_BYTES_PER_CLIENT_PER_DAY = 16L * 1024 * 1024;
    public static final long DEFAULT_MIN_FREE_BYTES = 512L * 1024 * 1024;

    /** Limits of their own for age and count; the defaults for the per-client bytes and the free space. */
    public StoreSettings(boolean enabled, String dir, int keepDays, int keepMessages, long purgeIntervalMillis) {
        this(enabled, dir, keepDays, keepMessages, purgeIntervalMillis, DEFAULT_BYTES_PER_CLIENT_PER_DAY,
                DEFAULT_MIN_FREE_BYTES);
    }

    public Retention retention() {
        return new Retention(Duration.ofDays(keepDays), keepMessages);
    }
}
