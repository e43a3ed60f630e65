package chatroom.wire;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A room's name: 1-32 characters of {@code a-z 0-9 - _}, ASCII only, so no two rooms look alike. Upper case is
 * lowered on arrival ({@code General} is {@code general}); anything else is not a room.
 */
public final class RoomName {
    public static final int MAX_LENGTH = 32;
    /** Checked before lower-casing: a non-ASCII letter that lower-cases to ASCII (the Kelvin sign) is refused. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private RoomName() {
    }

    /** The room's name, lower-cased, or null when {@code raw} is not one. */
    public static String parse(String raw) {
        if (raw == null) {
            return null;
        }
        return VALID.matcher(raw).matches() ? raw.toLowerCase(Locale.ROOT) : null;
    }

    /** What a refusal says, for a 400 or a {@code bad_request}. */
    public static String rule() {
        return "a room's name is 1-" + MAX_LENGTH + " characters of a-z, 0-9, '-' and '_'";
    }
}
