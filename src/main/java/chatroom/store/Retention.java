package chatroom.store;

import java.time.Duration;

/**
 * How much history the store keeps: messages younger than {@code maxAge} and at most the newest {@code maxCount}.
 * Zero means no limit on that side ({@link #KEEP_EVERYTHING}: none at all; the settings default to the newest
 * million, {@link StoreSettings#DEFAULT_KEEP_MESSAGES}). The newest message is always kept, so
 * the next id after a restart still follows it.
 */
public record Retention(Duration maxAge, long maxCount) {
    public static final Retention KEEP_EVERYTHING = new Retention(Duration.ZERO, 0);

    public Retention {
        if (maxAge.isNegative() || maxCount < 0) {
            throw new IllegalArgumentException("retention limits cannot be negative: " + maxAge + ", " + maxCount);
        }
    }

    public boolean keepsEverything() {
        return maxAge.isZero() && maxCount == 0;
    }
}
