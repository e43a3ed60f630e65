package chatroom;

/**
 * Time as the room reads it, passed in so tests can move it by hand: a monotonic clock for timeouts and rates,
 * the wall clock for the timestamps clients see.
 */
public interface Clock {
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }
    };

    long nanoTime();

    long millis();
}
