package chatroom.connection;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one fake the project allows: a {@code RemoteEndpoint.Async} whose sends complete inline, later on another
 * thread, fail, or never, as {@link #mode} says at the moment of each send. It records what was sent and the socket
 * writes a container would make (with batching allowed, a send only fills the buffer and completes at once; turning
 * batching off or flushing writes the buffer), and checks
 * what both containers require: never a second send while one is in flight (Tomcat throws, Jetty queues without
 * bound), which it reports in {@link #violation} rather than on the sending thread.
 */
public final class FakeRemote implements RemoteEndpoint.Async {
    public enum Mode {
        /** The handler runs inside {@code sendText}, on the sending thread (Tomcat often does this). */
        INLINE,
        /** The handler runs soon after, on the fake's own completion thread. */
        LATER,
        /** The handler runs inline with a failed result. */
        FAIL,
        /** The handler is kept until the test calls {@link #completeHeld()} (a peer that stopped reading). */
        NEVER
    }

    private static final SendResult OK = new SendResult();

    public volatile Mode mode = Mode.INLINE;
    /** False for a remote that only counts (for measuring the room's own cost): no payload kept, no stack walked. */
    private final boolean recording;
    /** Every payload handed to sendText, in order. */
    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    public final AtomicReference<String> violation = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger sends = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile boolean batching;
    /** Sends in the batch buffer, not yet written. */
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicInteger maxStackDepth = new AtomicInteger();
    private final BlockingQueue<SendHandler> held = new LinkedBlockingQueue<>();
    private final ExecutorService completer;

    public FakeRemote(ExecutorService completer) {
        this(completer, true);
    }

   private FakeRemote(ExecutorService completer, boolean recording) {
        this.completer = completer;
        this.recording = recording;
    }

    /** Completes inline and keeps nothing: what is left of a send's cost is the room's. */
    public static FakeRemote counting() {
        return new FakeRemote(null, false);
    }

    /** A remote with a completion thread of its own; {@link #shutdown()} it. */
    static FakeRemote withOwnThread() {
        return new FakeRemote(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fake-remote-completer");
            thread.setDaemon(true);
            return thread;
        }));
    }

    @Override
    public void sendText(String text, SendHandler handler) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        if (now > 1) {
            violation.compareAndSet(null, "a second send while one was in flight: " + text);
        }
        sends.incrementAndGet();
        if (recording) {
            maxStackDepth.accumulateAndGet(new Throwable().getStackTrace().length, Math::max);
            sent.add(text);
        }
        if (batching) {
            buffered.incrementAndGet();
            complete(handler, OK);
            return;
        }
        writes.incrementAndGet();
        switch (mode) {
            case INLINE -> complete(handler, OK);
            case FAIL -> complete(handler, new SendResult(new IOException("broken pipe (fake)")));
            case LATER -> completer.execute(() -> complete(handler, OK));
            case NEVER -> held.add(handler);
        }
    }

    private void complete(SendHandler handler, SendResult result) {
        inFlight.decrementAndGet();
        handler.onResult(result);
    }

    /** Completes, successfully and on the fake's completion thread, the send held by {@link Mode#NEVER}. */
    public void completeHeld() throws InterruptedException {
        SendHandler handler = held.poll(5, TimeUnit.SECONDS);
        if (handler == null) {
            throw new AssertionError("no send was held");
        }
        completer.execute(() -> complete(handler, OK));
    }

    /** The next payload sent, waiting up to 5 s. */
    public String next() throws InterruptedException {
        String text = sent.poll(5, TimeUnit.SECONDS);
        if (text == null) {
            throw new AssertionError("nothing was sent within 5 s");
        }
        return text;
    }

    /** Everything sent so far, without waiting. */
    public List<String> drain() {
        List<String> all = new ArrayList<>();
        sent.drainTo(all);
        return all;
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int sends() {
        return sends.get();
    }

    /** Socket writes: each unbatched send, and each flush of a non-empty batch buffer. */
    public int writes() {
        return writes.get();
    }

    public boolean batching() {
        return batching;
    }

    int maxStackDepth() {
        return maxStackDepth.get();
    }

    void shutdown() {
        if (completer != null) {
            completer.shutdownNow();
        }
    }

    // The rest of the interface: the room never uses it.

    @Override
    public long getSendTimeout() {
        return 0;
    }

    @Override
    public void setSendTimeout(long timeoutmillis) {
    }

    @Override
    public Future<Void> sendText(String text) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendObject(Object data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {
        if (batching && !allowed) {
            flushBatch();
        }
        batching = allowed;
    }

    @Override
    public boolean getBatchingAllowed() {
        return batching;
    }

    @Override
    public void flushBatch() {
        if (buffered.getAndSet(0) > 0) {
            writes.incrementAndGet();
        }
    }

    @Override
    public void sendPing(ByteBuffer applicationData) {
        throw new UnsupportedOperationException("pings go through Peer.ping");
    }

    @Override
    public void sendPong(ByteBuffer applicationData) {
        throw new UnsupportedOperationException();
    }
}
