package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.Container;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A contract that runs once per embedded container, in one file, and starts the servers it needs itself (a
 * restart, a DataSource, settings of its own). Most contracts share one server instead: {@link ServerSuite}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Container.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerSuite {
    @Parameter
    Container container;

    /** Starts the real webapp in this run's container with these context params. */
    ChatServer start(Map<String, String> contextParams) {
        return container.start(contextParams);
    }
}
