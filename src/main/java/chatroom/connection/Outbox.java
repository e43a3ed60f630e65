package chatroom.connection;

import chatroom.Clock;
import chatroom.wire.Frame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One member's outbound queue with at most one async send in flight: the next frame goes out only when the
 * container reports the previous one done ({@link SendHandler}). Tomcat throws on overlapping async sends and
 * Jetty queues them without limit; this class makes both behave the same and bounded.
 *
 * <p>How far behind a member may fall is a matter of time, not of queue length: a member whose send in flight has
 * not completed for the send timeout stopped reading ({@link #stalledLongerThan}), and housekeeping closes it. A
 * member that keeps reading makes progress with every completed send, however large the backlog a burst left it, so
 * it is never closed for that. The byte bound is only a memory backstop for a member that reads, but slower than the
 * room talks: {@link #offer} refuses past it. Queued frames are the room's shared objects (one per message, not one
 * per member), so a backlog costs a member a reference per frame until it is coalesced or sent. Replayed history
 * does not count: it is bounded by the history size and its frames are the history's own objects. A protocol that allows it (chat.v1) has a backlog coalesced into one frame of
 * newline-separated envelopes, so a member that falls behind catches up in few large writes instead of many small
 * ones. A member joining is {@linkplain #hold() held} until its replay is queued, so no live frame overtakes it.
 *
 * <p>The queue lock is never held across {@code sendText}: a container may complete the send (and call
 * {@link #onResult}) on the calling thread, or on another thread before {@code sendText} returns.
 */
final class Outbox implements SendHandler {
    private final RemoteEndpoint.Async remote;
    /** Largest coalesced frame; 0 sends every frame alone. */
    private final int maxBatchBytes;
    private final Clock clock;
    private final long maxBytes;
    private final Consumer<Throwable> onSendFailure;

    private final ArrayDeque<Frame> replay = new ArrayDeque<>();
    private final ArrayDeque<Frame> live = new ArrayDeque<>();
    /** Bytes of live traffic queued or in flight: what the bound applies to. */
    private long liveBytes;
    private long inFlightLiveBytes;
    private boolean inFlight;
    private long inFlightSinceNanos;
    /** When a send last completed (or the outbox was made): the peer's socket took data then. */
    private long lastSentNanos;
    private Thread pumpingThread;
    private boolean closed;
    private boolean held;
    /** Runs once the send in flight has completed or failed; see {@link #afterInFlight}. */
    private Runnable settled;

    Outbox(RemoteEndpoint.Async remote, int maxBatchBytes, long maxBytes, Clock clock,
           Consumer<Throwable> onSendFailure) {
        this.remote = remote;
        this.maxBatchBytes = maxBatchBytes;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.onSendFailure = onSendFailure;
        this.lastSentNanos = clock.nanoTime();
    }

    /** Queues a live frame; false when that would pass the byte bound (the member is too slow to keep). */
    synchronized boolean offer(Frame frame) {
        if (closed) {
            return true;
        }
        if (liveBytes + frame.bytes() > maxBytes) {
            return false;
        }
        live.add(frame);
        liveBytes += frame.bytes();
        return true;
    }

    /** Queues history being replayed; sent before any live frame. */
    synchronized void offerReplay(Frame frame) {
        if (!closed) {
            replay.add(frame);
        }
    }

    /** Nothing is sent until {@link #release()}: frames queue meanwhile. */
    synchronized void hold() {
        held = true;
    }

    /** Ends a {@link #hold()} and starts sending. */
    void release() {
        synchronized (this) {
            held = false;
        }
        pump();
    }

    /** Starts sending if nothing is in flight. Cheap when there is nothing to do; safe from any thread. */
    void pump() {
        Thread me = Thread.currentThread();
        while (true) {
            String payload;
            synchronized (this) {
                if (inFlight || closed || held || (replay.isEmpty() && live.isEmpty())) {
                    return;
                }
                payload = takeBatch();
                inFlight = true;
                inFlightSinceNanos = clock.nanoTime();
                pumpingThread = me;
            }
            try {
                remote.sendText(payload, this);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            synchronized (this) {
                if (pumpingThread == me) {
                    pumpingThread = null;
                }
                if (inFlight) {
                    return; // completes later; onResult continues the chain
                }
            }
            // Completed on this thread inside sendText: loop instead of recursing.
        }
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            fail(result.getException());
            return;
        }
        boolean completedInsidePump;
        synchronized (this) {
            inFlight = false;
            lastSentNanos = clock.nanoTime();
            liveBytes -= inFlightLiveBytes;
            inFlightLiveBytes = 0;
            completedInsidePump = pumpingThread == Thread.currentThread();
        }
        runSettled();
        if (!completedInsidePump) {
            pump();
        }
    }

    /** Drops everything queued; later offers are ignored. A send already in flight carries on. */
    synchronized void close() {
        closed = true;
        replay.clear();
        live.clear();
        liveBytes = 0;
        inFlightLiveBytes = 0;
    }

    /**
     * Runs the action now if nothing is in flight, else once the send in flight completes or fails. Closing a
     * session mid-send makes Tomcat drop the connection without a close frame; after the send, both containers
     * deliver the close frame to a peer that reads.
     */
    void afterInFlight(Runnable action) {
        synchronized (this) {
            if (inFlight) {
                settled = action;
                return;
            }
        }
        action.run();
    }

    private void runSettled() {
        Runnable action;
        synchronized (this) {
            action = settled;
            settled = null;
        }
        if (action != null) {
            action.run();
        }
    }

    /**
     * True when a send has been in flight for longer than the given time: no progress for that long, the peer stopped
     * reading. The next send starts as soon as one completes, so this is also the time since the last progress.
     */
    synchronized boolean stalledLongerThan(long nowNanos, long nanos) {
        return inFlight && nowNanos - inFlightSinceNanos > nanos;
    }

    synchronized boolean idle() {
        return !inFlight && replay.isEmpty() && live.isEmpty();
    }

    /** Nothing queued or in flight, and no send completed for this long. */
    synchronized boolean quietLongerThan(long nowNanos, long nanos) {
        return idle() && nanosSinceSent(nowNanos) > nanos;
    }

    /** Time since a send last completed: the peer's socket was taking data then. */
    synchronized long nanosSinceSent(long nowNanos) {
        return nowNanos - lastSentNanos;
    }

    synchronized long queuedBytes() {
        return liveBytes;
    }

    private void fail(Throwable cause) {
        boolean wasOpen;
        synchronized (this) {
            wasOpen = !closed;
            inFlight = false;
        }
        if (wasOpen) {
            close();
            onSendFailure.accept(cause);
        }
        runSettled();
    }

    /** Caller holds the lock. Replay first, then live; one frame, or several joined when coalescing. */
    private String takeBatch() {
        ArrayDeque<Frame> source = replay.isEmpty() ? live : replay;
        Frame first = take(source);
        if (source.isEmpty() || first.bytes() >= maxBatchBytes) {
            return first.text();
        }
        StringBuilder batch = new StringBuilder(Math.min(maxBatchBytes, first.bytes() * (source.size() + 1)) + 16);
        batch.append(first.text());
        int bytes = first.bytes();
        while (true) {
            source = replay.isEmpty() ? live : replay;
            Frame next = source.peek();
            if (next == null || bytes + 1 + next.bytes() > maxBatchBytes) {
                break;
            }
            take(source);
            batch.append('\n').append(next.text());
            bytes += 1 + next.bytes();
        }
        return batch.toString();
    }

    private Frame take(ArrayDeque<Frame> source) {
        Frame frame = source.poll();
        if (source == live) {
            inFlightLiveBytes += frame.bytes();
        }
        return frame;
    }
}
