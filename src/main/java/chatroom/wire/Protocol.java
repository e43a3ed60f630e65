package chatroom.wire;

import java.util.Collection;

/**
 * What a member asked for in the handshake, and everything that differs between the two: how a frame it sends is
 * read, which encoding of a message it receives, whether it hears notices (welcome, errors, presence, reset), and
 * whether a backlog may be coalesced into one frame. The room asks the member's protocol; it never tests which one
 * it is.
 */
public enum Protocol {
    /** The classic chat-room client: bare text both ways, every message exactly as sent, nothing else. */
    PLAIN {
        @Override
        public InboundParser.Result parse(InboundParser parser, String frame) {
            return parser.plain(frame);
        }

        @Override
        public Frame select(Frame envelope, Frame plainText) {
            return plainText;
        }

        @Override
        public Frame welcome(String room, String you, long lastId, int online, Collection<String> users,
                             Standing standing) {
            return null; // built for chat.v1 only: a plain join must not pay for the list of every name online
        }

        @Override
        public int maxBatchBytes() {
            return 0; // each text is one message: joining two would change what the client shows
        }
    },
    /** JSON envelopes, one object per line. */
    CHAT_V1 {
        @Override
        public InboundParser.Result parse(InboundParser parser, String frame) {
            return parser.envelope(frame);
        }

        @Override
        public Frame select(Frame envelope, Frame plainText) {
            return envelope;
        }

        @Override
        public Frame welcome(String room, String you, long lastId, int online, Collection<String> users,
                             Standing standing) {
            return Events.welcome(room, you, lastId, online, users, standing);
        }

        @Override
        public int maxBatchBytes() {
            return 32 * 1024; // amortises per-frame cost, small enough for any client's buffer
        }
    };

    public static final String CHAT_V1_NAME = "chat.v1";

    public static Protocol negotiated(String subprotocol) {
        return CHAT_V1_NAME.equals(subprotocol) ? CHAT_V1 : PLAIN;
    }

    /** What a text frame from this client asks for. */
    public abstract InboundParser.Result parse(InboundParser parser, String frame);

    /** Of a frame encoded both ways, the one this client receives; null when it receives none. */
    public abstract Frame select(Frame envelope, Frame plainText);

    /** The first frame on open, or null when this client gets none. */
    public abstract Frame welcome(String room, String you, long lastId, int online, Collection<String> users,
                                  Standing standing);

    /** Largest frame a backlog may be joined into (newline-separated); 0: every frame goes alone. */
    public abstract int maxBatchBytes();

    /** The encoding of a message this client receives; both are built once per message. */
    public Frame frameOf(ChatMessage message) {
        return select(message.json(), message.plain());
    }

    /** A notice (error, reset, presence) as this client receives it: null for clients that get no notices. */
    public Frame notice(Frame envelope) {
        return select(envelope, null);
    }
}
