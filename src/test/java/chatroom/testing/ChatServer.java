package chatroom.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A running chat webapp, in whatever container, on a loopback port. */
public interface ChatServer extends AutoCloseable {
    /**
     * A context-param the embedded containers take for themselves, not the webapp: the loopback address to listen
     * on, {@code 127.0.0.1} unless a test sets {@code ::1}.
     */
    String LISTEN_ON = "test.listenOn";

    /**
     * Another: the deadline for a request head that stops arriving, in milliseconds, instead of the operator
     * settings' {@link OperatorSettings#REQUEST_HEAD_TIMEOUT_MILLIS}, so a test of the deadline need not wait that out.
     */
    String REQUEST_HEAD_TIMEOUT = "test.requestHeadTimeoutMillis";

    /** {@code host} as it goes into a URI: an IPv6 literal in brackets. */
    static String uriHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The page, e.g. http://127.0.0.1:41234/ or .../chatroom/; always ends with a slash. */
    URI pageUri();

    /** The socket endpoint under the same context path. */
    default URI socketUri(String query) {
        URI page = pageUri();
        return URI.create("ws://" + page.getRawAuthority() + page.getRawPath() + "message"
                + (query == null ? "" : "?" + query));
    }

    int port();

    String containerName();

    @Override
    void close();

    /**
     * Returns the server once its page has rendered: the first request compiles the JSP, which on a loaded
     * machine can take longer than a test's 10 s request timeout. Closes the server and fails if it never does.
     */
    static <T extends ChatServer> T warmedUp(T server) {
        HttpRequest page = HttpRequest.newBuilder(server.pageUri()).timeout(Duration.ofSeconds(90)).build();
        try {
            int status = HttpClient.newHttpClient().send(page, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("the page answered " + status);
            }
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IllegalStateException(server.containerName() + " did not render the page", e);
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
