package chatroom.wire;

/**
 * An accepted chat message of a room, with its id (unique in the deployment, strictly increasing within the room),
 * encoded once for each protocol: {@code json} is the chat.v1 envelope, {@code plain} the bare text a plain client
 * receives. The room is not in the envelope: a socket belongs to one room.
 */
public record ChatMessage(String room, long id, String from, String text, long timestamp, String cid,
                          boolean signedIn, Frame json, Frame plain) {

    public static ChatMessage create(String room, long id, String from, String text, long timestamp, String cid) {
        return create(room, id, from, text, timestamp, cid, false);
    }

    /** {@code signedIn}: the container signed the author in (their name is their account's; pages mark it). */
    public static ChatMessage create(String room, long id, String from, String text, long timestamp, String cid,
                                     boolean signedIn) {
        JsonText json = JsonText.object()
                .field("type", "message")
                .field("id", id)
                .field("from", from)
                .field("text", text)
                .field("ts", timestamp)
                .field("cid", cid);
        if (signedIn) {
            json.field("signedIn", true);
        }
        return new ChatMessage(room, id, from, text, timestamp, cid, signedIn, Frame.of(json.end()),
                Frame.of(text));
    }
}
