package chatroom.moderation;

import chatroom.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of moderator actions: the time in ms times 1000, plus a random part, so ids grow with time (the audit pages
 * by them), two nodes acting in the same millisecond almost never collide, and each fits a JavaScript number
 * (below 2^53 until the year 2255). One node's ids strictly increase.
 */
final class ActionIds {
    private final Clock clock;
    private long last;

    ActionIds(Clock clock) {
        this.clock = clock;
    }

    synchronized long next() {
        long id = Math.max(last + 1, clock.millis() * 1000 + ThreadLocalRandom.current().nextInt(1000));
        last = id;
        return id;
    }
}
