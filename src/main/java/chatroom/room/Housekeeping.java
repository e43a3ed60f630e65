package chatroom.room;

import chatroom.ChatSettings;
import java.util.concurrent.TimeUnit;

/**
 * Stalled members (no send progress for the send timeout: closed as slow consumers), the close grace of the
 * connections let go, idle timeouts and keepalive pings, checked every {@link #PERIOD_MILLIS} on a timer thread, by
 * the clock it is given (tests move a clock by hand and call {@link #run()} themselves).
 */
public final class Housekeeping implements Runnable {
    public static final long PERIOD_MILLIS = 1000;
    private static final System.Logger LOG = System.getLogger(Housekeeping.class.getName());

    private final Room room;
    private final Clock clock;
    private final long sendTimeoutNanos;
    private final long closeGraceNanos;
    private final long idleTimeoutNanos;
    private final long pingIntervalNanos;
    private long lastPingNanos;

    public Housekeeping(Room room, ChatSettings settings, Clock clock) {
        this.room = room;
        this.clock = clock;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMillis());
        this.closeGraceNanos = TimeUnit.MILLISECONDS.toNanos(settings.closeGraceMillis());
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis());
        this.pingIntervalNanos = TimeUnit.MILLISECONDS.toNanos(settings.pingIntervalMillis());
        this.lastPingNanos = clock.nanoTime();
    }

    @Override
    public void run() {
        try {
            long now = clock.nanoTime();
            boolean pingDue = pingIntervalNanos > 0 && now - lastPingNanos >= pingIntervalNanos;
            if (pingDue) {
                lastPingNanos = now;
            }
            room.closings().closeStalled(now, closeGraceNanos);
            room.evictIdleBudgets();
            for (Member member : room.members()) {
                if (member.connection().stalledLongerThan(now, sendTimeoutNanos)) {
                    room.expel(member, Expulsion.SLOW_CONSUMER);
                } else if (idleTimeoutNanos > 0 && member.silentForNanos(now) > idleTimeoutNanos) {
                    room.expel(member, Expulsion.IDLE);
                } else if (pingDue && member.connection().idle()) {
                    member.connection().ping();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "housekeeping failed", e);
        }
    }
}
