package chatroom;

import java.util.Locale;

/** {@code chat.guests}: what people who are not signed in may do. */
public enum Guests {
    /** Pick a nickname and post, as in an open room. */
    POST,
    /** Read the room; posting needs an account. */
    READ,
    /** Nothing: the page asks them to sign in and their socket is refused. */
    NONE;

    /** The setting's value ({@code post}, {@code read}, {@code none}; any case); null for none given. */
    static Guests parse(String setting, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chat." + setting + " must be post, read or none, got " + value, e);
        }
    }

    /** The setting's value as written: {@code post}, {@code read}, {@code none}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
