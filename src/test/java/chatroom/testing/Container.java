package chatroom.testing;

import java.util.Map;
import java.util.function.Function;

/** The embedded containers every contract runs in: a contract class is parameterized over these. */
public enum Container {
    JETTY(EmbeddedJetty::start),
    TOMCAT(EmbeddedTomcat::start);

    private final Function<Map<String, String>, ChatServer> starter;

    Container(Function<Map<String, String>, ChatServer> starter) {
        this.starter = starter;
    }

    /** Starts the real webapp in this container with these context params. */
    public ChatServer start(Map<String, String> contextParams) {
        return starter.apply(contextParams);
    }
}
