package chatroom.moderation;

import java.util.List;

/**
 * A ban: of a name and its look-alikes (null: none), of client keys (IPv4 address, IPv6 prefix), or both.
 * {@code until} 0: for good.
 */
public record Ban(String id, String name, List<String> addresses, String by, String reason, long since, long until) {

    public Ban {
        addresses = List.copyOf(addresses);
    }

    boolean holdsAt(long nowMillis) {
        return until == 0 || until > nowMillis;
    }
}
