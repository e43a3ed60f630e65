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
 */
public record StoreSettings(boolean enabled, String dir, int keepDays, int keepMessages, long purgeIntervalMillis) {

    public Retention retention() {
        return new Retention(Duration.ofDays(keepDays), keepMessages);
    }
}
