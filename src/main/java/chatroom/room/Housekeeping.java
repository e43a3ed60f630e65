package chatroom.room;

import chatroom.ChatSettings;
import chatroom.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Stalled members (no send progress for the send timeout: closed as slow consumers), the close grace of the
 * connections let go, idle timeouts and keepalive pings, checked every {@link #PERIOD_MILLIS} on a timer thread, by
 * the clock it is given (tests move a clock by hand and call {@link #run()} themselves).
 *
 * <p>Only quiet connections are pinged: nothing sent to them for the send timeout (or the ping interval, if
 * shorter). The containers' pings block, and a ping to a reader whose socket buffer is full (the send that filled
 * it completed, so the outbox looks idle) waits until it reads again; Tomcat gives up after its blocking-send
 * timeout (1 s here) and drops the connection without a close frame: a reader that paused for a second was cut,
 * and one that stopped never saw its 1013 (the benchmark's slow scenario with a ping every second: 4 of 4 Tomcat
 * blocks). A member the room keeps sending to is watched by the slow-consumer rule instead, and a send that
 * completes counts as a sign of life for the idle timeout, as a message or a pong does: its socket is taking data.
 * A peer that vanished is then found when its socket buffer fills (the slow-consumer rule) or by TCP's
 * retransmission timeout.
 */
public final class Housekeeping implements Runnable {
    public static final long PERIOD_MILLIS = 1000;
    private static final System.Logger LOG = System.getLogger(Housekeeping.class.getName());

    private final Rooms rooms;
    private final Clock clock;
    private final long sendTimeoutNanos;
    private final long closeGraceNanos;
    private final long idleTimeoutNanos;
    private final long pingIntervalNanos;
    /** A connection nothing was sent to for this long is quiet: its socket buffer has had time to drain. */
    private final long quietNanos;
    private long lastPingNanos;

    public Housekeeping(Rooms rooms, ChatSettings settings, Clock clock) {
        this.rooms = rooms;
        this.clock = clock;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMillis());
        this.closeGraceNanos = TimeUnit.MILLISECONDS.toNanos(settings.closeGraceMillis());
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis());
        this.pingIntervalNanos = TimeUnit.MILLISECONDS.toNanos(settings.pingIntervalMillis());
        // At most the ping interval, so that a quiet peer is pinged (and answers) before its idle timeout.
        this.quietNanos = sendTimeoutNanos > 0 ? Math.min(sendTimeoutNanos, pingIntervalNanos) : pingIntervalNanos;
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
            rooms.evictIdleBudgets();
            for (Room room : rooms.live()) {
                room.closings().closeStalled(now, closeGraceNanos);
                for (Member member : room.members()) {
                    if (member.stalledLongerThan(now, sendTimeoutNanos)) {
                        room.expel(member, Expulsion.SLOW_CONSUMER);
                    } else if (idleTimeoutNanos > 0 && member.silentForNanos(now) > idleTimeoutNanos) {
                        room.expel(member, Expulsion.IDLE);
                    } else if (pingDue && member.quietLongerThan(now, quietNanos)) {
                        member.ping();
                    }
                }
            }
            rooms.evictIdle();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "housekeeping failed", e);
        }
    }
}
