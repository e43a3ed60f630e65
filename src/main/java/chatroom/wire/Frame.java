package chatroom.wire;

/** One outbound text frame, encoded once and shared by every recipient's outbox. */
public record Frame(String text, int bytes) {

    public static Frame of(String text) {
        return new Frame(text, utf8Length(text));
    }

    /** The UTF-8 size without encoding: outbox limits are in bytes on the wire. */
    public static int utf8Length(CharSequence s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
