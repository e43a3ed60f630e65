package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.Container;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A contract that runs once per embedded container, in one file: each run shares one server, started with
 * {@link #sharedServerParams()}. A new contract is one class {@code FooIT extends ServerSuite}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerSuite {
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

    @Parameter
    Container container;
    ChatServer server;

    /** Starts the real webapp in this run's container with these context params (for a server of a test's own). */
    ChatServer start(Map<String, String> contextParams) {
        return container.start(contextParams);
    }

    /** The shared server's settings: relaxed flow limits unless a suite is about the limits. */
    Map<String, String> sharedServerParams() {
        return RELAXED;
    }

    @BeforeParameterizedClassInvocation
    void startServer(Container container) {
        this.container = container;
        server = container.start(sharedServerParams());
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
