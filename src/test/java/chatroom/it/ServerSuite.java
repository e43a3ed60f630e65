package chatroom.it;

import chatroom.testing.ChatServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A suite that shares one server per test class, in the container its subclass names: the same tests run
 * against each container (one subclass each).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerSuite {
    ChatServer server;

    /** Starts the real webapp in this suite's container with these context params. */
    abstract ChatServer start(Map<String, String> contextParams);

    /** The shared server's settings: relaxed flow limits unless a suite is about the limits. */
    Map<String, String> sharedServerParams() {
        return ChatContract.RELAXED;
    }

    @BeforeAll
    void startServer() {
        server = start(sharedServerParams());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
