package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.testing.ChatClient;
import chatroom.testing.StandaloneJetty;
import chatroom.testing.StandaloneServer;
import chatroom.testing.StandaloneTomcat;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 of the standalone container's JVM loses no acknowledged message: every message whose echo (its id) came
 * back before the kill is there after a start on the same store directory, in order, with the same id.
 */
class KillNineIT {
    enum Distribution {
        TOMCAT(options -> StandaloneTomcat.start(options, Map.of())),
        JETTY(options -> StandaloneJetty.start(options, List.of()));

        final Function<List<String>, StandaloneServer> starter;

        Distribution(Function<List<String>, StandaloneServer> starter) {
            this.starter = starter;
        }
    }

    @TempDir
    Path storeDir;

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void aKilledContainerLosesNoAcknowledgedMessage(Distribution distribution) throws Exception {
        List<String> options = List.of("-Dchat.store.dir=" + storeDir, "-Dchat.rate.perSecond=100000",
                "-Dchat.rate.burst=100000", "-Dchat.rate.perAddress=100000", "-Dchat.rate.burstPerAddress=100000");
        List<JsonObject> acknowledged = new ArrayList<>();
        StandaloneServer first = distribution.starter.apply(options);
        try (ChatClient alice = WebSession.joined(first, "alice-k", null)) {
            // Acknowledged = echoed back with its id; the kill comes right after the last echo.
            acknowledged.addAll(ResumeIT.sendAndAwaitEchoes(alice, "kept-", 200));
            ProcessHandle container = ProcessHandle.of(first.pid()).orElseThrow();
            container.destroyForcibly(); // SIGKILL: no shutdown hook, no contextDestroyed, no last write
            container.onExit().get(10, TimeUnit.SECONDS);
        } finally {
            first.close();
        }

        StandaloneServer second = distribution.starter.apply(options);
        long before = acknowledged.get(0).getJsonNumber("id").longValue() - 1;
        try (ChatClient bob = WebSession.joined(second, "bob-k", "since=" + before)) {
            List<JsonObject> replay = ResumeIT.messagesUntil(bob, "kept-199");
            assertEquals(acknowledged.stream().map(m -> m.getJsonNumber("id").longValue()).toList(),
                    replay.stream().map(m -> m.getJsonNumber("id").longValue()).toList());
        } finally {
            second.close();
        }
    }
}
