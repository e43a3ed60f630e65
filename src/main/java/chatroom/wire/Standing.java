package chatroom.wire;

/**
 * What a welcome tells a person about themselves and the room's rules: whether they are signed in or a moderator,
 * whether they may post here, the room's slow mode and whether its guests may post, and until when they are muted
 * (0: not muted).
 */
public record Standing(boolean signedIn, boolean moderator, boolean mayPost, int slowModeSeconds,
                       boolean guestsMayPost, long mutedUntil) {
}
