package chatroom.room;

import chatroom.nickname.NicknameForm;
import java.util.List;

/**
 * Who is behind a connection, as far as moderation cares: the name they chat under, its look-alike keys (what a
 * ban or mute of that name matches), whether the container signed them in and as a moderator, and their client key
 * (what an address ban matches; null when unknown).
 */
public record Person(String name, List<String> nameKeys, boolean signedIn, boolean moderator, String client) {

    public static Person of(String name, boolean signedIn, boolean moderator, String client) {
        return new Person(name, NicknameForm.keys(name), signedIn, moderator, client);
    }

    /** Guests have no name of their own: the server numbered their connection. */
    public boolean guest() {
        return !signedIn && name.startsWith(NicknameForm.GUEST_PREFIX);
    }
}
