package chatroom.store;

/**
 * One accepted chat message as the store keeps it: its room, the text as accepted (after every input check), the
 * sender's name, the time it was accepted (epoch milliseconds), the client's own id for it, if it sent one, and
 * whether the container had signed the sender in.
 */
public record StoredMessage(String room, long id, String sender, String text, long timestamp, String cid,
                            boolean signedIn) {
    public StoredMessage(String room, long id, String sender, String text, long timestamp, String cid) {
        this(room, id, sender, text, timestamp, cid, false);
    }
}
