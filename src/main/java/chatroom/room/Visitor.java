package chatroom.room;

/**
 * Who opens a connection, as the handshake found them: the name bound to their session or their principal's (null:
 * a guest, numbered by the room), whether the container signed them in and as a moderator, and their client key.
 */
public record Visitor(String user, boolean signedIn, boolean moderator, String client) {

    /** Not signed in: a nickname from the session, or a guest (null). */
    public static Visitor named(String user, String client) {
        return new Visitor(user, false, false, client);
    }
}
