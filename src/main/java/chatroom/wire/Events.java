package chatroom.wire;

import java.util.Collection;

/** The chat.v1 envelopes other than {@code message}. */
public final class Events {
    public static final Frame RESET = Frame.of(JsonText.object().field("type", "reset").end());

    private Events() {
    }

    public static Frame welcome(String you, long lastId, Collection<String> users) {
        return Frame.of(JsonText.object()
                .field("type", "welcome")
                .field("you", you)
                .field("lastId", lastId)
                .field("users", users)
                .end());
    }

    public static Frame presence(String type, String user, long timestamp) {
        return Frame.of(JsonText.object().field("type", type).field("user", user).field("ts", timestamp).end());
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
