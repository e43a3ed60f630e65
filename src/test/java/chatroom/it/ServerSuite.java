package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.Container;
import chatroom.testing.ServerProbe;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * A contract that runs once per embedded container, in one file: each run shares one server, started with
 * {@link #sharedServerParams()}. A new contract is one class {@code FooIT extends ServerSuite}; tests use fresh
 * names ({@link #unique}) so they share the server without seeing each other's users.
 */
abstract class ServerSuite extends ContainerSuite {
    /** Relaxed flow limits: these tests are about correctness; the limits have tests of their own. */
    static final Map<String, String> RELAXED = Map.of(
            "chat.rate.perSecond", "100000",
            "chat.rate.burst", "100000",
            "chat.outbox.maxBytes", "67108864",
            "chat.rate.perAddress", "100000",
            "chat.rate.burstPerAddress", "100000",
            "chat.history.requestBurst", "100000",
            "chat.connections.perAddress", "100000");

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    ChatServer server;
    /** The shared server's /health and /metrics. */
    ServerProbe probe;

    /** The shared server's settings: relaxed flow limits unless a suite is about the limits. */
    Map<String, String> sharedServerParams() {
        return RELAXED;
    }

    @BeforeParameterizedClassInvocation
    void startServer(Container container) {
        this.container = container;
        server = container.start(sharedServerParams());
        probe = new ServerProbe(server);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
