package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No answer names the container or a version, the container's own answers to malformed requests included (which
 * never reach the webapp: the container runs with the operator settings, chatroom.testing.OperatorSettings), and a
 * WebSocket handshake without its key is the client's error (4xx), not the server's. Raw sockets, so that nothing
 * between the test and the container tidies a request up.
 */
class ServerIdentityIT extends ServerSuite {
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?m)^content-length: *(\\d+)");
    /** A product's name or a version number (three parts: never an address such as 127.0.0.1). */
    private static final Pattern LEAK = Pattern.compile("jetty|tomcat|apache|catalina|eclipse|powered|coyote|java\\."
            + "|(?<![\\d.])\\d+\\.\\d+\\.\\d+(?![\\d.])");

    @Test
    void aHandshakeWithoutItsKeyIsRefusedAsTheClientsError() throws IOException {
        for (String headers : List.of(
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n",
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
                + "chat.v1\r\n")) {
            String answer = exchange("GET " + path("message") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
            int status = status(answer);
            assertTrue(status >= 400 && status < 500, "a malformed handshake is the client's error: " + answer);
            assertNoProductOrVersion(answer);
        }
    }

    @Test
    void theContainersOwnAnswersToMalformedRequestsNameNoProductOrVersion() throws IOException {
        for (String request : List.of(
                "GET " + path("%zz") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET " + path("a<b>") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET " + path("") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nNot A Header\r\n\r\n",
                "GET " + path("") + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET " + path("") + " HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
                "GET " + path("") + " HTTP/1.1\r\n\r\n",
                "\u0001\u0002 garbage\r\n\r\n")) {
            String answer = exchange(request);
            int status = status(answer);
            assertTrue(status >= 400, request + " -> " + answer);
            assertNoProductOrVersion(answer);
        }
    }

    @Test
    void theWebappsOwnAnswersNameNoProductOrVersion() throws IOException {
        for (String target : List.of("", "static/chat.js", "no/such/thing", "health", "history?before=x")) {
            String answer = exchange("GET " + path(target)
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertTrue(status(answer) > 0, answer);
            assertNoProductOrVersion(head(answer));
        }
    }

    private String path(String relative) {
        return server.pageUri().getRawPath() + relative;
    }

    /** Sends the bytes and reads the answer until the server closes or goes quiet (one request each). */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            long deadline = System.nanoTime() + 10_000_000_000L;
            try {
                for (int n; answer.size() < 1_000_000 && System.nanoTime() < deadline && (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break; // a kept-alive connection need not be waited out
                    }
                }
            } catch (SocketTimeoutException quiet) {
                // A kept-alive connection whose answer has no length: complete when nothing more comes.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A whole response: its head, then as much body as Content-Length says, or a chunked body's last chunk. */
    private static boolean complete(String answer) {
        int headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = answer.substring(0, headEnd).toLowerCase(Locale.ROOT);
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (length.find()) {
            return answer.length() - headEnd - 4 >= Integer.parseInt(length.group(1));
        }
        return head.contains("transfer-encoding: chunked") && answer.endsWith("\r\n0\r\n\r\n");
    }

    private static int status(String answer) {
        Matcher status = STATUS.matcher(answer);
        return status.find() ? Integer.parseInt(status.group(1)) : -1;
    }

    private static String head(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }

    private static void assertNoProductOrVersion(String answer) {
        Matcher leak = LEAK.matcher(answer.toLowerCase(Locale.ROOT));
        assertFalse(leak.find(), () -> "\"" + leak.group() + "\" in:\n" + answer);
    }
}
