package chatroom.wire;

import java.util.Collection;

/**
 * Builds the server's outbound JSON objects. Output is written once per message and shared by every recipient,
 * so it is plain string building with no reflection.
 *
 * <p>Only what JSON requires is escaped (quote, backslash, control characters), so a frame is as long as its text
 * plus a little: {@code <<<<} is four bytes on the socket. The page escapes further for its script element
 * ({@code IndexServlet.forScriptElement}), the only place that needs it.
 */
public final class JsonText {
    private final StringBuilder out = new StringBuilder(96).append('{');

    public static JsonText object() {
        return new JsonText();
    }

    public JsonText field(String name, String value) {
        if (value != null) {
            name(name);
            quote(out, value);
        }
        return this;
    }

    public JsonText field(String name, long value) {
        name(name).append(value);
        return this;
    }

    public JsonText field(String name, Collection<String> values) {
        name(name).append('[');
        boolean first = true;
        for (String value : values) {
            if (!first) {
                out.append(',');
            }
            quote(out, value);
            first = false;
        }
        out.append(']');
        return this;
    }

    public JsonText field(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    /** A value that is already JSON (an array of objects this class built). */
    public JsonText raw(String name, String json) {
        name(name).append(json);
        return this;
    }

    public String end() {
        return out.append('}').toString();
    }

    private StringBuilder name(String name) {
        if (out.length() > 1) {
            out.append(',');
        }
        out.append('"').append(name).append("\":");
        return out;
    }

    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
