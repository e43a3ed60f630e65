package chatroom.wire;

import java.util.Collection;

/** The chat.v1 envelopes other than {@code message}. */
public final class Events {
    public static final Frame RESET = Frame.of(JsonText.object().field("type", "reset").end());

    private Events() {
    }

    /**
     * {@code users}: named users online, already bounded by the room; {@code online}: everyone, guests too;
     * {@code standing}: what {@code you} may do here and the room's rules.
     */
    public static Frame welcome(String room, String you, long lastId, int online, Collection<String> users,
                                Standing standing) {
        JsonText json = JsonText.object()
                .field("type", "welcome")
                .field("room", room)
                .field("you", you)
                .field("lastId", lastId)
                .field("online", online)
                .field("users", users)
                .field("signedIn", standing.signedIn())
                .field("moderator", standing.moderator())
                .field("mayPost", standing.mayPost())
                .raw("rules", rules(standing.slowModeSeconds(), standing.guestsMayPost()).end());
        if (standing.mutedUntil() > 0) {
            json.field("mutedUntil", standing.mutedUntil());
        }
        return Frame.of(json.end());
    }

    private static JsonText rules(int slowModeSeconds, boolean guestsMayPost) {
        return JsonText.object().field("slowModeSeconds", slowModeSeconds).field("guestsMayPost", guestsMayPost);
    }

    /** A room's rules changed; {@code mayPost}: whether the receiver may post under them. */
    public static Frame rules(int slowModeSeconds, boolean guestsMayPost, boolean mayPost) {
        return Frame.of(JsonText.object()
                .field("type", "rules")
                .field("slowModeSeconds", slowModeSeconds)
                .field("guestsMayPost", guestsMayPost)
                .field("mayPost", mayPost)
                .end());
    }

    /** A moderator removed message {@code id}: clients take it off the page. */
    public static Frame deleted(long id) {
        return Frame.of(JsonText.object().field("type", "deleted").field("id", id).end());
    }

    /** The receiver is muted until then (epoch ms). */
    public static Frame muted(long until, String reason) {
        return Frame.of(JsonText.object().field("type", "muted").field("until", until).field("reason", reason).end());
    }

    public static final Frame UNMUTED = Frame.of(JsonText.object().field("type", "unmuted").end());

    /** Sent just before the close (4001) of a kicked person's connections. */
    public static Frame kicked(String reason) {
        return Frame.of(JsonText.object().field("type", "kicked").field("reason", reason).end());
    }

    /** Sent just before the close (4003) of a banned person's connections; {@code until} 0: for good. */
    public static Frame banned(long until, String reason) {
        JsonText json = JsonText.object().field("type", "banned");
        json = until > 0 ? json.field("until", until) : json.raw("until", "null");
        return Frame.of(json.field("reason", reason).end());
    }

    /**
     * What changed in who is online since the last presence frame: the exact count and up to {@code maxNames}
     * names each way; {@code joinedMore} / {@code leftMore} count the names left out (only when there are some).
     */
    public static Frame presence(int online, Collection<String> joined, Collection<String> left, int maxNames) {
        JsonText json = JsonText.object()
                .field("type", "presence")
                .field("online", online)
                .field("joined", joined.stream().limit(maxNames).toList())
                .field("left", left.stream().limit(maxNames).toList());
        if (joined.size() > maxNames) {
            json.field("joinedMore", joined.size() - maxNames);
        }
        if (left.size() > maxNames) {
            json.field("leftMore", left.size() - maxNames);
        }
        return Frame.of(json.end());
    }

    /** {@code cid}, when the refused message had one, tells the client exactly which message was not sent. */
    public static Frame error(ErrorCode code, String message, String cid) {
        return error(code, message, cid, 0);
    }

    /** The same, with when the refusal ends (epoch ms; 0: not said), for {@code muted} and {@code slow_mode}. */
    public static Frame error(ErrorCode code, String message, String cid, long until) {
        JsonText json = JsonText.object()
                .field("type", "error")
                .field("code", code.wire())
                .field("message", message)
                .field("cid", cid);
        if (until > 0) {
            json.field("until", until);
        }
        return Frame.of(json.end());
    }
}
