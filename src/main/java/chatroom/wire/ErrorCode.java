package chatroom.wire;

import java.util.Locale;

/** The {@code code} of a chat.v1 {@code error}; the connection stays open after each. */
public enum ErrorCode {
    TOO_LONG, RATE_LIMITED, BAD_REQUEST, UNAVAILABLE,
    /** A moderator muted the sender (until when is in the error). */
    MUTED,
    /** The room's slow mode: the sender's next message may go at {@code until}. */
    SLOW_MODE,
    /** Only signed-in people may post here. */
    READ_ONLY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
