package chatroom.wire;

import java.util.Locale;

/** The {@code code} of a chat.v1 {@code error}; the connection stays open after each. */
public enum ErrorCode {
    TOO_LONG, RATE_LIMITED, BAD_REQUEST, UNAVAILABLE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
