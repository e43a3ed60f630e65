package chatroom.connection;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A peer over a {@link FakeRemote}: counts pings and records closes. */
public final class FakePeer implements Peer {
    private static final AtomicInteger IDS = new AtomicInteger();

    public final FakeRemote remote;
    final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
    public final AtomicInteger pings = new AtomicInteger();
    private final String id = "fake-" + IDS.incrementAndGet();

    public FakePeer(FakeRemote remote) {
        this.remote = remote;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public RemoteEndpoint.Async remote() {
        return remote;
    }

    @Override
    public void ping() {
        pings.incrementAndGet();
    }

    @Override
    public void close(CloseReason reason) {
        closes.add(reason);
    }

    /** The close, waiting up to 5 s. */
    public CloseReason awaitClose() throws InterruptedException {
        CloseReason reason = closes.poll(5, TimeUnit.SECONDS);
        if (reason == null) {
            throw new AssertionError(id + " was not closed within 5 s");
        }
        return reason;
    }

    public boolean closed() {
        return !closes.isEmpty();
    }
}
