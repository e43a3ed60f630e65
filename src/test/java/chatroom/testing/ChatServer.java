package chatroom.testing;

import java.net.URI;

/** A running chat webapp, in whatever container, on a loopback port. */
public interface ChatServer extends AutoCloseable {
    /** The page, e.g. http://127.0.0.1:41234/ or .../chatroom/; always ends with a slash. */
    URI pageUri();

    /** The socket endpoint under the same context path. */
    default URI socketUri(String query) {
        URI page = pageUri();
        return URI.create("ws://" + page.getRawAuthority() + page.getRawPath() + "message" + (query == null ? "" : "?" + query));
    }

    int port();

    String containerName();

    @Override
    void close();
}
