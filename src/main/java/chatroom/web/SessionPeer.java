package chatroom.web;

import chatroom.connection.Peer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A container's WebSocket session as the room sees it. */
final class SessionPeer implements Peer {
    private static final System.Logger LOG = System.getLogger(SessionPeer.class.getName());

    private final Session session;

    SessionPeer(Session session) {
        this.session = session;
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public RemoteEndpoint.Async remote() {
        return session.getAsyncRemote();
    }

    @Override
    public void ping() {
        try {
            if (session.isOpen()) {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "ping to " + session.getId() + " failed: " + e);
        }
    }

    /** Blocking in some containers (the close frame is written synchronously): the room calls it off its threads. */
    @Override
    public void close(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "close of " + session.getId() + " failed: " + e);
        }
    }
}
