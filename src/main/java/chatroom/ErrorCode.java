package chatroom;

import java.util.Locale;

/** The {@code code} of a chat.v1 {@code error}; the connection stays open after each. */
enum ErrorCode {
    TOO_LONG, RATE_LIMITED, BAD_REQUEST, UNAVAILABLE;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
