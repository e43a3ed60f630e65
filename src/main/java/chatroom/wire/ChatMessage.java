package chatroom.wire;

/**
 * An accepted chat message with its room-wide id, encoded once for each protocol:
 * {@code json} is the chat.v1 envelope, {@code plain} the bare text a plain client receives.
 */
public record ChatMessage(long id, String from, String text, long timestamp, String cid, Frame json, Frame plain) {

    public static ChatMessage create(long id, String from, String text, long timestamp, String cid) {
        String json = JsonText.object()
                .field("type", "message")
                .field("id", id)
                .field("from", from)
                .field("text", text)
                .field("ts", timestamp)
                .field("cid", cid)
                .end();
        return new ChatMessage(id, from, text, timestamp, cid, Frame.of(json), Frame.of(text));
    }
}
