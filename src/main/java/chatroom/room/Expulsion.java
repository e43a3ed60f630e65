package chatroom.room;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

/**
 * Why the server closes a connection, with the close code and reason phrase the client gets. A slow consumer is a
 * member whose send made no progress for the send timeout (it stopped reading) or whose backlog passed the outbox's
 * byte bound (it reads slower than the room talks): the same answer either way, 1013, try again later.
 */
public enum Expulsion {
    SLOW_CONSUMER(CloseCodes.TRY_AGAIN_LATER, "slow consumer"),
    SEND_FAILED(CloseCodes.UNEXPECTED_CONDITION, "send failed"),
    RATE_ABUSE(CloseCodes.VIOLATED_POLICY, "rate limit exceeded"),
    TOO_BIG(CloseCodes.TOO_BIG, "message too big"),
    BINARY(CloseCodes.CANNOT_ACCEPT, "binary frames are not accepted"),
    IDLE(CloseCodes.GOING_AWAY, "idle timeout"),
    /** A moderator sent the person away; they may come back. */
    KICKED(CloseCodes.getCloseCode(4001), "kicked"),
    /** A moderator banned the person. */
    BANNED(CloseCodes.getCloseCode(4003), "banned");

    private final CloseReason reason;

    Expulsion(CloseReason.CloseCode code, String phrase) {
        this.reason = new CloseReason(code, phrase);
    }

    public CloseReason reason() {
        return reason;
    }

    public int code() {
        return reason.getCloseCode().getCode();
    }
}
