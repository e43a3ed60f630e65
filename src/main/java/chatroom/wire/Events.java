package chatroom.wire;

import java.util.Collection;

/** The chat.v1 envelopes other than {@code message}. */
public final class Events {
    public static final Frame RESET = Frame.of(JsonText.object().field("type", "reset").end());

    private Events() {
    }

    /** {@code users}: named users online, already bounded by the room; {@code online}: everyone, guests too. */
    public static Frame welcome(String room, String you, long lastId, int online, Collection<String> users) {
        return Frame.of(JsonText.object()
                .field("type", "welcome")
                .field("room", room)
                .field("you", you)
                .field("lastId", lastId)
                .field("online", online)
                .field("users", users)
                .end());
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
        return Frame.of(JsonText.object()
                .field("type", "error")
                .field("code", code.wire())
                .field("message", message)
                .field("cid", cid)
                .end());
    }
}
