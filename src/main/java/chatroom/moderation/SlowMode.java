package chatroom.moderation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each person last posted in each room with a slow mode, so they post at most once per interval there (all
 * their connections together: a signed-in or named person by name, a guest by client key). Entries older than the
 * longest slow mode are forgotten by housekeeping: the table holds only people who posted lately.
 */
final class SlowMode {
    private final Map<String, Long> lastPost = new ConcurrentHashMap<>();

    /**
     * Counts a post by {@code who} in {@code room} at {@code nowMillis} if the interval since their last one has
     * passed: 0 then; else when they may post next (and nothing is counted).
     */
    long tryPost(String room, String who, long nowMillis, long intervalMillis) {
        long[] next = {0};
        lastPost.compute(room + '\u0000' + who, (key, last) -> {
            if (last != null && nowMillis - last < intervalMillis) {
                next[0] = last + intervalMillis;
                return last;
            }
            return nowMillis;
        });
        return next[0];
    }

    void forgetOlderThan(long cutoffMillis) {
        lastPost.values().removeIf(last -> last < cutoffMillis);
    }
}
