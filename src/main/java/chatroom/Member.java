package chatroom;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;

/** One open connection in the room: who it is, what it speaks, what waits to be sent to it. */
final class Member {
    private static final System.Logger LOG = System.getLogger(Member.class.getName());

    final Session session;
    final String name;
    final Protocol protocol;
    final Outbox outbox;
    final RateLimiter rateLimiter;
    /** Guarded by the room's lock: ids up to this one are not queued (a resume ahead of this node's stream). */
    long deliverAfter;
    /** Last time the peer showed it is alive (a message or a pong), for the idle timeout. */
    private volatile long lastSeenNanos;

    Member(Session session, String name, Protocol protocol, Outbox outbox, RateLimiter rateLimiter, long nowNanos) {
        this.session = session;
        this.name = name;
        this.protocol = protocol;
        this.outbox = outbox;
        this.rateLimiter = rateLimiter;
        this.lastSeenNanos = nowNanos;
    }

    void seen(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    long silentForNanos(long nowNanos) {
        return nowNanos - lastSeenNanos;
    }

    /** Blocking in some containers (the close frame is written synchronously): call off the broadcast path. */
    void closeSession(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "close of " + session.getId() + " failed: " + e);
        }
    }

    @Override
    public String toString() {
        return name + "/" + session.getId();
    }
}
