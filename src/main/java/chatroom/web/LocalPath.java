package chatroom.web;

import java.util.regex.Pattern;

/**
 * Where a sign-in returns to: a path of this webapp given by the page ({@code /}, {@code /r/<room>}), and nothing
 * else, so no link can use the sign-in to send someone to another site (an open redirect).
 */
final class LocalPath {
    /**
     * One slash, then no second slash or backslash (browsers read {@code //host} and {@code /\host} as another
     * site), and only characters a path and query of this webapp use; no scheme, no control characters.
     */
    private static final Pattern LOCAL = Pattern.compile("/(?![/\\\\])[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*");
    static final String HOME = "/";

    private LocalPath() {
    }

    /** {@code next} if it is a local path, else {@link #HOME}. */
    static String orHome(String next) {
        return next != null && next.length() <= 512 && LOCAL.matcher(next).matches() ? next : HOME;
    }
}
