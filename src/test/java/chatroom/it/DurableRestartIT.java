package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable by default: with nothing configured but the store directory (which the default puts in the container's
 * base), a restarted webapp has every message it acknowledged, continues the ids, and a page resuming from before
 * the restart gets exactly what it missed, with no reset.
 */
class DurableRestartIT extends ContainerSuite {
    @TempDir
    Path storeDir;

    private Map<String, String> params() {
        Map<String, String> params = new HashMap<>(ServerSuite.RELAXED);
        params.put("chat.store.dir", storeDir.toString());
        return params;
    }

    @Test
    void aRestartKeepsTheMessagesTheIdsAndAnExactResume() throws Exception {
        assertRestartKeepsHistory(() -> start(params()));
    }

    /**
     * The restart scenario, for whichever store {@code start} gives the webapp (the default file here, the
     * container's PostgreSQL in {@link ContainerDataSourceIT}): ten messages, a stop, a start on the same
     * store; a page resuming from the fifth gets the last five, no reset; the next id follows the last; the page
     * opens on the messages from before.
     */
    static void assertRestartKeepsHistory(Supplier<ChatServer> start) throws Exception {
        List<JsonObject> before;
        try (ChatServer server = start.get();
             ChatClient alice = WebSession.joined(server, "alice-r", null)) {
            before = ResumeIT.sendAndAwaitEchoes(alice, "before-", 10);
        }
        long seenUpTo = before.get(4).getJsonNumber("id").longValue();
        long lastBefore = before.get(9).getJsonNumber("id").longValue();

        try (ChatServer server = start.get()) {
            try (ChatClient bob = WebSession.joined(server, "bob-r", "since=" + seenUpTo)) {
                List<JsonObject> replay = ResumeIT.messagesUntil(bob, "before-9");
                assertEquals(before.subList(5, 10).stream().map(m -> m.getString("text")).toList(),
                        replay.stream().map(m -> m.getString("text")).toList(), "exactly what was missed, no reset");
                assertEquals(before.subList(5, 10).stream().map(m -> m.getJsonNumber("id").longValue()).toList(),
                        replay.stream().map(m -> m.getJsonNumber("id").longValue()).toList());

                bob.send("after");
                JsonObject after = ResumeIT.nextMessage(bob);
                assertEquals(lastBefore + 1, after.getJsonNumber("id").longValue(), "ids continue from the store");
            }
            // Last, with a longer bound than WebSession's 10 s: the first page compiles the JSP, which took longer
            // than that on this 2-core machine under other builds' load.
            String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.pageUri())
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(page.contains("before-9"), "the page opens on the history from before the restart");
        }
    }
}
