package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.store.EmbeddedDatabase;
import chatroom.store.MessageStore;
import chatroom.store.StoredMessage;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Scrollback over HTTP ({@code GET /history}) from a store the webapp opens at start: the test writes an SQLite
 * file first, then starts the container on it, as a restarted server would find its history.
 */
class HistoryIT extends ServerSuite {
    private static final int STORED = 260;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path storeDir;

    @Override
    Map<String, String> sharedServerParams() {
        try {
            storeDir = Files.createTempDirectory("chat-history-it");
            MessageStore store = MessageStore.open(EmbeddedDatabase.in(storeDir));
            List<StoredMessage> messages = new ArrayList<>();
            LongStream.rangeClosed(1, STORED).forEach(id -> messages.add(new StoredMessage("general", id, "alice",
                    "message " + id, 1_764_201_600_000L + id, id % 2 == 0 ? "c-" + id : null)));
            messages.set(0, new StoredMessage("general", 1, "bob", "<b>\"hi\"</b> & 😀 \n", 1_764_201_600_001L, "c-1"));
            store.insert(messages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> params = new HashMap<>(ServerSuite.RELAXED);
        params.put("chat.store.dir", storeDir.toString());
        return params;
    }

    @AfterAll
    void deleteStore() throws IOException {
        if (storeDir != null) {
            try (var files = Files.walk(storeDir)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void withoutBeforeTheNewestPageComesOldestFirst() {
        JsonArray page = page("");
        assertEquals(50, page.size());
        assertEquals(LongStream.rangeClosed(STORED - 49, STORED).boxed().toList(), ids(page));
    }

    @Test
    void pagesBackwardsReachTheFirstMessageWithoutGapOrDuplicate() {
        List<Long> seen = new ArrayList<>();
        String query = "?limit=100";
        for (JsonArray page = page(query); !page.isEmpty(); page = page(query)) {
            seen.addAll(0, ids(page));
            query = "?limit=100&before=" + seen.get(0);
        }
        assertEquals(LongStream.rangeClosed(1, STORED).boxed().toList(), seen);
    }

    @Test
    void messagesAreTheSocketsChatV1Envelopes() {
        JsonObject first = page("?before=2&limit=1").getJsonObject(0);
        assertEquals("message", first.getString("type"));
        assertEquals(1, first.getJsonNumber("id").longValue());
        assertEquals("bob", first.getString("from"));
        assertEquals("<b>\"hi\"</b> & 😀 \n", first.getString("text"));
        assertEquals(1_764_201_600_001L, first.getJsonNumber("ts").longValue());
        assertEquals("c-1", first.getString("cid"));
        assertTrue(page("?before=4&limit=1").getJsonObject(0).get("cid") == null, "no cid when none was sent");
    }

    @Test
    void aLargeLimitIsCappedAndABadParameterRefusedWithAReason() throws Exception {
        assertEquals(200, page("?limit=100000").size());
        for (String bad : List.of("?before=abc", "?before=0", "?limit=-5", "?limit=9999999999999999999999")) {
            HttpResponse<String> response = get(bad);
            assertEquals(400, response.statusCode(), bad);
            JsonObject error = json(response.body()).asJsonObject();
            assertEquals("bad_request", error.getString("error"));
            assertTrue(error.getString("message").contains("whole number"), error.toString());
        }
    }

    private JsonArray page(String query) {
        HttpResponse<String> response = get(query);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return json(response.body()).asJsonArray();
    }

    private HttpResponse<String> get(String query) {
        URI uri = server.pageUri().resolve("history" + query);
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonValue json(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readValue();
        }
    }

    private static List<Long> ids(JsonArray page) {
        return page.stream().map(v -> v.asJsonObject().getJsonNumber("id").longValue()).toList();
    }
}
