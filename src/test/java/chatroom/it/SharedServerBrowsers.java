package chatroom.it;

import chatroom.testing.ChatServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Two browsers and one server shared by the tests of a class; a subclass per container says which server.
 * The room is shared, so each test looks only at its own messages.
 */
abstract class SharedServerBrowsers extends TwoBrowsers {
    ChatServer server;

    abstract ChatServer start(Map<String, String> contextParams);

    @BeforeAll
    void startServer() {
        server = start(ServerSuite.RELAXED);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
