package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.OperatorSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A connection that starts a request (a page or a WebSocket handshake) and never finishes its head is closed by
 * the container within the deadline of the operator settings, so held handshakes cannot pile up. The connection
 * then either gets an error status or is closed; either way the server lets go of it.
 */
class RequestHeadDeadlineIT extends ServerSuite {
    /** The deadline and room for a loaded machine: both containers' defaults (30 s, 60 s) are past it. */
    private static final Duration BOUND = Duration.ofMillis(OperatorSettings.REQUEST_HEAD_TIMEOUT_MILLIS)
    .plusSeconds(6);

    @Test
    void anUnfinishedHandshakeIsClosedWithinTheDeadline() throws IOException {
        assertClosedWithinBound("GET " + server.pageUri().getRawPath() + "message HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Ke");
    }

    @Test
    void aRequestLineWithoutItsEndIsClosedWithinTheDeadline() throws IOException {
        assertClosedWithinBound("GET " + server.pageUri().getRawPath());
    }

    private void assertClosedWithinBound(String partialHead) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) BOUND.toMillis());
            long start = System.nanoTime();
            socket.getOutputStream().write(partialHead.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                // Whatever the container says (a 408, a 400) until it closes.
                while (in.read(buffer) >= 0) {
                    assertTrue(System.nanoTime() - start < BOUND.toNanos(), "still open after " + BOUND);
                }
            } catch (SocketTimeoutException stillOpen) {
                throw new AssertionError(server.containerName() + " kept an unfinished request head open for " + BOUND);
            } catch (IOException reset) {
                // Closed with a reset: let go of, too.
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("[head-deadline] %s closed an unfinished head after %d ms%n", server.containerName(),
                    took.toMillis());
        }
    }
}
