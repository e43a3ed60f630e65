package chatroom.moderation;

/** A mute of a name and its look-alikes until a time (epoch ms): they read, their posts are refused. */
public record Mute(String name, String by, String reason, long since, long until) {

    boolean holdsAt(long nowMillis) {
        return until > nowMillis;
    }
}
