package chatroom.web;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

/**
 * Small message buffers for sessions until they send: Tomcat gives every new session a text buffer of the
 * container's default size (8,192 chars, 16 KiB) and a binary one (8 KiB, also where a text frame's bytes wait to be
 * decoded) before the endpoint's {@code onOpen} can size them, and keeps them while the connection is open. Most
 * members only read, so those 24 KiB stay idle on every one of them. With small defaults a session starts small;
 * {@link ChatEndpoint} sets the real text limit in {@code onOpen}, and Tomcat grows the text buffer to it when the
 * first text frame arrives (a binary frame, which the room refuses anyway, over {@link #BINARY_BYTES} closes with
 * 1009). Jetty sizes its buffers per frame and keeps the limits only: the same values mean the same answers there.
 */
final class IdleBuffers {
    /** Until the first text frame; onOpen's limit replaces it for the session. */
    static final int TEXT_CHARS = 256;
    /**
     * Binary frames are refused with 1003 by the room; in Tomcat a text frame is decoded through it, 1 KiB at a time.
     */
    static final int BINARY_BYTES = 1024;

    private IdleBuffers() {
    }

    static void apply(ServletContext context) {
        Object container = context.getAttribute(ServerContainer.class.getName());
        if (container instanceof ServerContainer server) {
            server.setDefaultMaxTextMessageBufferSize(TEXT_CHARS);
            server.setDefaultMaxBinaryMessageBufferSize(BINARY_BYTES);
        }
    }
}
