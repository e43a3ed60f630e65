package chatroom.connection;

import chatroom.Clock;
import chatroom.wire.Frame;
import jakarta.websocket.CloseReason;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One member's end of the socket: its {@link Outbox}, how long its send in flight may stall, and its close.
 * The close comes after the send in flight, never in the middle of it: closing a session mid-send makes Tomcat
 * drop the connection without a close frame, while after the send both containers deliver the close frame to a
 * peer that reads. A peer that stopped reading (the room lets it go once its send has made no progress for the send
 * timeout) is given the close grace to read on and find the close frame behind its data; a peer that still does not
 * read is closed then anyway, and Tomcat drops such a connection without a close frame. Closes and pings may block on a congested peer, so they run on the {@code io} executor, never on the caller.
 */
public final class Connection {
    private final Peer peer;
    private final Outbox outbox;
    private final Executor io;
    private final Clock clock;
    /** Set when the room lets the member go; the close follows once the send in flight settles. */
    private volatile CloseReason closing;
    /** When {@link #closing} was set. */
    private volatile long closingSinceNanos;
    private final AtomicBoolean closeStarted = new AtomicBoolean();

    public Connection(Peer peer, int maxBatchBytes, long maxBytes, Clock clock, Executor io,
               Consumer<Throwable> onSendFailure) {
        this.peer = peer;
        this.io = io;
        this.clock = clock;
        this.outbox = new Outbox(peer.remote(), maxBatchBytes, maxBytes, clock, onSendFailure);
    }

    /** Queues a live frame; false when that would pass the byte bound (too slow to keep). */
    public boolean offer(Frame frame) {
        return outbox.offer(frame);
    }

    /** Queues a frame ahead of every live one (the welcome, notices and history of a member joining). */
    public void offerReplay(Frame frame) {
        outbox.offerReplay(frame);
    }

    public void pump() {
        outbox.pump();
    }

    public void hold() {
        outbox.hold();
    }

    public void release() {
        outbox.release();
    }

    /** Drops what is queued and ignores later offers (the member left); a send in flight carries on. */
    public void discard() {
        outbox.close();
    }

    /** Drops what is queued, lets the send in flight finish, then closes with this reason. Once; later calls do nothing. */
    public void closeAfterInFlight(CloseReason reason) {
        synchronized (this) {
            if (closing != null) {
                return;
            }
            closingSinceNanos = clock.nanoTime();
            closing = reason;
        }
        outbox.close();
        outbox.afterInFlight(() -> closeNow(reason));
    }

    /**
     * For housekeeping, on a connection being closed: closes it now, whatever is in flight, once it has waited
     * longer than the grace for its send in flight (the peer does not read on). True once the close has started.
     */
    public boolean finishClose(long nowNanos, long graceNanos) {
        CloseReason reason = closing;
        if (reason != null && nowNanos - closingSinceNanos > graceNanos) {
            closeNow(reason);
        }
        return closeStarted.get();
    }

    /** Closes at once, whatever is in flight (shutdown). */
    public void closeNow(CloseReason reason) {
        outbox.close();
        if (closeStarted.compareAndSet(false, true)) {
            io.execute(() -> peer.close(reason));
        }
    }

    public boolean stalledLongerThan(long nowNanos, long nanos) {
        return outbox.stalledLongerThan(nowNanos, nanos);
    }

    /** Idle, and no send completed for this long: the peer's socket buffer has had time to drain (see Housekeeping). */
    public boolean quietLongerThan(long nowNanos, long nanos) {
        return outbox.quietLongerThan(nowNanos, nanos);
    }

    /** Time since a send last completed. */
    public long nanosSinceSent(long nowNanos) {
        return outbox.nanosSinceSent(nowNanos);
    }

    public void ping() {
        io.execute(peer::ping);
    }

    public long queuedBytes() {
        return outbox.queuedBytes();
    }

    @Override
    public String toString() {
        return peer.id();
    }
}
