package chatroom;

/** What a member asked for in the handshake: plain text frames, or the chat.v1 JSON envelopes. */
enum Protocol {
    PLAIN, CHAT_V1;

    static final String CHAT_V1_NAME = "chat.v1";

    static Protocol negotiated(String subprotocol) {
        return CHAT_V1_NAME.equals(subprotocol) ? CHAT_V1 : PLAIN;
    }

    /** The encoding of a message this member receives; both are built once per message. */
    Frame frameOf(ChatMessage message) {
        return this == CHAT_V1 ? message.json() : message.plain();
    }
}
