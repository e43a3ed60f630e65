package chatroom.web;

import chatroom.ChatSettings;
import chatroom.nickname.Nicknames;
import chatroom.room.Expulsion;
import chatroom.room.Member;
import chatroom.room.Room;
import chatroom.room.Rooms;
import chatroom.room.Visitor;
import chatroom.wire.ErrorCode;
import chatroom.wire.Events;
import chatroom.wire.Protocol;
import chatroom.wire.RoomName;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/** The socket adapter: one instance per connection, everything else is the room's. */
@ServerEndpoint(value = "/message", subprotocols = Protocol.CHAT_V1_NAME, configurator = HandshakeConfigurator.class)
public class ChatEndpoint {
    private static final System.Logger LOG = System.getLogger(ChatEndpoint.class.getName());

    /**
     * Tomcat answers a peer's close frame with its own and, while an async send to that peer is in flight, waits for
     * the send by spinning a container thread (Thread.yield) until its blocking-send timeout, 20 s by default. Peers
     * that stopped reading and then went away (closed tabs mid-broadcast) each held one of its 200 threads busy for
     * that long: in the benchmark all of them spun at once. A close frame to a peer that reads goes out in
     * milliseconds; one second bounds the rest. It also bounds the room's own close of a member whose send is stuck.
     * Jetty ignores the property.
     */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final Long CLOSE_FRAME_WAIT_MILLIS = 1000L;

    private Room room;
    private Member member;
    private Nicknames.Hold nameHold;

    @OnOpen
    public void onOpen(Session session, EndpointConfig config) {
        ChatApplication.Services services = ChatApplication.services();
        ChatSettings settings = services.settings();
        // The room enforces the size itself (close 1009); the container's buffer must not cut earlier. The container
        // default is smaller (IdleBuffers): a session that never sends never holds a buffer this large.
        session.setMaxTextMessageBufferSize(settings.maxMessageBytes());
        // The room's own idle check (pongs count) closes first; this is the container's backstop.
        session.setMaxIdleTimeout(settings.idleTimeoutMillis() == 0 ? 0 : settings.idleTimeoutMillis() * 2);
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, CLOSE_FRAME_WAIT_MILLIS);
        Map<String, Object> properties = config.getUserProperties();
        Protocol protocol = Protocol.negotiated(session.getNegotiatedSubprotocol());
        String roomName = services.rooms().resolve((String) properties.get(HandshakeConfigurator.ROOM));
        if (roomName == null) {
            refuse(session, protocol, NO_SUCH_ROOM, "no such room: " + RoomName.rule()
                    + (services.settings().rooms().open() ? "" : ", and only the rooms this server lists"));
            return;
        }
        Visitor visitor = new Visitor((String) properties.get(HandshakeConfigurator.USER),
                Boolean.TRUE.equals(properties.get(HandshakeConfigurator.SIGNED_IN)),
                Boolean.TRUE.equals(properties.get(HandshakeConfigurator.MODERATOR)),
                (String) properties.get(HandshakeConfigurator.ADDRESS));
        Rooms.Joined joined = services.rooms().join(roomName, new SessionPeer(session), protocol, visitor,
                (String) properties.get(HandshakeConfigurator.SINCE));
        if (joined.room() == null) {
            refuse(session, protocol, ROOMS_FULL, "the server has as many rooms open as it may; try again later");
            return;
        }
        room = joined.room();
        member = joined.member();
        if (member == null) {
            // Handshakes that raced past the cap together: the room counted them, and this one is one too many.
            close(session, TOO_MANY);
            return;
        }
        nameHold = services.nicknames().hold((String) properties.get(HandshakeConfigurator.USER));
    }

    private static final CloseReason TOO_MANY = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
            "too many connections from your address");
    private static final CloseReason NO_SUCH_ROOM = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
            "no such room");
    private static final CloseReason ROOMS_FULL = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER,
            "too many rooms");

    /**
     * A connection the server cannot take: a chat.v1 client is told why ({@code bad_request} or {@code unavailable}),
     * then the socket closes with the reason (a plain client sees only the close).
     */
    private static void refuse(Session session, Protocol protocol, CloseReason reason, String message) {
        if (protocol == Protocol.CHAT_V1) {
            ErrorCode code = reason == NO_SUCH_ROOM ? ErrorCode.BAD_REQUEST : ErrorCode.UNAVAILABLE;
            try {
                session.getBasicRemote().sendText(Events.error(code, message, null).text());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "telling " + session.getId() + " why failed: " + e);
            }
        }
        close(session, reason);
    }

    private static void close(Session session, CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + session.getId() + " (" + reason + "): " + e);
        }
    }

    @OnMessage
    public void onText(String text) {
        if (member != null) {
            room.receive(member, text);
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer data) {
        if (member != null) {
            room.expel(member, Expulsion.BINARY);
        }
    }

    @OnMessage
    public void onPong(PongMessage pong) {
        if (member != null) {
            room.pong(member);
        }
    }

    @OnClose
    public void onClose(CloseReason reason) {
        if (member != null) {
            room.leave(member, reason.getCloseCode().getCode());
        }
        if (nameHold != null) {
            nameHold.release();
        }
    }

    /**
     * Only logs: a failed connection is closed by the container, which then calls {@link #onClose}, and that is
     * where the member leaves (with the close code, which the room counts).
     */
    @OnError
    public void onError(Session session, Throwable error) {
        // An error on a session the room already let go is the tail of that close (Jetty reports each close
        // the server starts with a code other than 1000 as an "Abnormal Close" error): not worth a warning.
        if (isDisconnect(error) || member != null && !room.isMember(member)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "session " + session.getId() + " ended: " + error);
        } else {
            LOG.log(System.Logger.Level.WARNING, "error on session " + session.getId(), error);
        }
    }

    /** A closed tab or a dropped network: ordinary, not worth a stack trace. */
    private static boolean isDisconnect(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // EOF, reset by peer, closed channel, Jetty's EofException: all I/O failures of a gone peer.
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
