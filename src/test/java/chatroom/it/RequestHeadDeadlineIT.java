package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.testing.ChatServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A connection that starts a request (a page or a WebSocket handshake) and never finishes its head is closed by
 * the container within the deadline it is configured with (the operator settings' connector timeout), so held
 * handshakes cannot pile up. The connection then either gets an error status or is closed; either way the server
 * lets go of it. This suite's server is configured with a short deadline so the test need not wait out the
 * operator's 20 s; the connector setting is the same one.
 */
class RequestHeadDeadlineIT extends ServerSuite {
    static final long DEADLINE_MILLIS = 2000;
    /** The deadline and room for a loaded machine: both containers' defaults (30 s, 60 s) are far past it. */
    private static final Duration BOUND = Duration.ofMillis(DEADLINE_MILLIS).plusSeconds(6);

    @Override
    Map<String, String> sharedServerParams() {
        return Map.of(ChatServer.REQUEST_HEAD_TIMEOUT, String.valueOf(DEADLINE_MILLIS));
    }

    /** Both kinds of unfinished head at once: they wait out one deadline together. */
    @Test
    void unfinishedRequestHeadsAreClosedWithinTheDeadline() throws IOException {
        String handshake = "GET " + server.pageUri().getRawPath() + "message HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Ke";
        String requestLine = "GET " + server.pageUri().getRawPath();
        try (Socket first = new Socket("127.0.0.1", server.port());
             Socket second = new Socket("127.0.0.1", server.port())) {
            long start = System.nanoTime();
            send(first, handshake);
            send(second, requestLine);
            assertClosedWithinBound(first, start, "an unfinished handshake");
            assertClosedWithinBound(second, start, "a request line without its end");
        }
    }

    private static void send(Socket socket, String partialHead) throws IOException {
        socket.setSoTimeout((int) BOUND.toMillis());
        socket.getOutputStream().write(partialHead.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private void assertClosedWithinBound(Socket socket, long start, String what) {
        byte[] buffer = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            // Whatever the container says (a 408, a 400) until it closes.
            while (in.read(buffer) >= 0) {
                assertTrue(System.nanoTime() - start < BOUND.toNanos(), what + ": still open after " + BOUND);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError(server.containerName() + " kept " + what + " open for " + BOUND);
        } catch (IOException reset) {
            // Closed with a reset: let go of, too.
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(BOUND) < 0, what + ": closed only after " + took);
        System.out.printf("[head-deadline] %s closed %s after %d ms%n", server.containerName(), what, took.toMillis());
    }
}
