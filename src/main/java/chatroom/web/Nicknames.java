package chatroom.web;

import jakarta.servlet.http.HttpSession;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nicknames: what is a valid one, and who holds which. A name is held by one HttpSession at a time, compared
 * without regard to case ("Alice" and "alice" would confuse everyone), until that session posts another name,
 * ends or expires.
 */
final class Nicknames {
    static final String SESSION_ATTRIBUTE = "chat.user";
    static final int MAX_LENGTH = 32;
    private static final String GUEST_PREFIX = "guest-";

    enum Outcome { ACCEPTED, INVALID, TAKEN }

    record Claim(Outcome outcome, String name, String message) {
    }

    /** Lower-cased name to the id of the HttpSession holding it. */
    private final ConcurrentHashMap<String, String> holders = new ConcurrentHashMap<>();

    static String boundTo(HttpSession session) {
        try {
            return session.getAttribute(SESSION_ATTRIBUTE) instanceof String name ? name : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** Why this name cannot be used, or null when it can. Leading and trailing blanks are not part of a name. */
    static String problemWith(String name) {
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            return "Choose a nickname.";
        }
        if (length > MAX_LENGTH) {
            return "A nickname has at most " + MAX_LENGTH + " characters.";
        }
        if (name.codePoints().anyMatch(Nicknames::isControl)) {
            return "A nickname cannot contain control characters.";
        }
        if (name.toLowerCase(Locale.ROOT).startsWith(GUEST_PREFIX)) {
            return "Names starting with \"" + GUEST_PREFIX + "\" are kept for guests.";
        }
        return null;
    }

    private static boolean isControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Binds the name to the session if it is valid and free (or already this session's). */
    Claim claim(HttpSession session, String requested) {
        String name = requested == null ? "" : requested.strip();
        String problem = problemWith(name);
        if (problem != null) {
            return new Claim(Outcome.INVALID, name, problem);
        }
        String holder = holders.putIfAbsent(key(name), session.getId());
        if (holder != null && !holder.equals(session.getId())) {
            return new Claim(Outcome.TAKEN, name, "\"" + name + "\" is already in use. Choose another nickname.");
        }
        String previous = boundTo(session);
        if (previous != null && !key(previous).equals(key(name))) {
            holders.remove(key(previous), session.getId());
        }
        session.setAttribute(SESSION_ATTRIBUTE, name);
        return new Claim(Outcome.ACCEPTED, name, null);
    }

    /** Frees the session's name, if it holds one. */
    void release(HttpSession session) {
        String name = boundTo(session);
        if (name != null) {
            holders.remove(key(name), session.getId());
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
