package chatroom.moderation;

/** A room's settings a moderator may change: its slow mode (0: off) and whether guests may post in it. */
public record RoomRules(int slowModeSeconds, boolean guestsMayPost) {
    public static final RoomRules DEFAULT = new RoomRules(0, true);
    /** A day: more is a room nobody can talk in, which "guests may only read" and bans already say better. */
    public static final int MAX_SLOW_MODE_SECONDS = 86_400;
}
