package chatroom.connection;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;

/**
 * The little of a WebSocket session the room uses. The endpoint adapts a container's {@code Session}; tests pass
 * a fake whose sends complete inline, later, fail, or never.
 */
public interface Peer {
    /** For log lines. */
    String id();

    /** Where a member's frames go, one async send at a time (see {@link Connection}). */
    RemoteEndpoint.Async remote();

    /** A keepalive ping; failures are ignored (the idle timeout deals with a dead peer). */
    void ping();

    /** Sends the close frame and ends the session; may block on a congested peer, so never on a broadcast path. */
    void close(CloseReason reason);
}
