package chatroom.testing;

import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/** The embedded containers every contract runs in: a contract class is parameterized over these. */
public enum Container {
    JETTY(EmbeddedJetty::start),
    TOMCAT(EmbeddedTomcat::start);

    /** Each container's own full start: context params, port (0: any free one), context path, DataSource. */
    private interface Starter {
        ChatServer start(Map<String, String> contextParams, int port, String contextPath,
                PGSimpleDataSource dataSource);
    }

    private final Starter starter;

    Container(Starter starter) {
        this.starter = starter;
    }

    /** Starts the real webapp in this container with these context params, at the root, on a free port. */
    public ChatServer start(Map<String, String> contextParams) {
        return starter.start(contextParams, 0, "", null);
    }

    /** The same on a fixed port, so a test can restart the server where a page expects it. */
    public ChatServer start(Map<String, String> contextParams, int port) {
        return starter.start(contextParams, port, "", null);
    }

    /** The same, offered {@code dataSource} as {@code java:comp/env/jdbc/chatroom} the way an operator would. */
    public ChatServer start(Map<String, String> contextParams, PGSimpleDataSource dataSource) {
        return starter.start(contextParams, 0, "", dataSource);
    }
}
