package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * Scrollback costs about what the page costs: compressed like the page, and limited per client address. Each test
 * is its own client through the trusted proxy's X-Forwarded-For, so their budgets stay apart.
 */
class HistoryCostIT extends ServerSuite {
    private static final int BURST = 5;
    private static final int MESSAGES = 60;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ChatClient.WAIT).build();

    @Override
    Map<String, String> sharedServerParams() {
        Map<String, String> params = new HashMap<>(RELAXED); // the messages go out at once
        params.put("chat.history.requestBurst", String.valueOf(BURST));
        params.put("chat.history.requestsPerMinute", "1");
        params.put("chat.proxies.trusted", "127.0.0.0/8");
        return params;
    }

    @BeforeParameterizedClassInvocation
    void storeSomeMessages() {
        try (ChatClient poster = WebSession.joined(server, unique("poster"), null)) {
            for (int i = 0; i < MESSAGES; i++) {
                poster.send(ChatClient.envelope("the same kind of line a room is full of, number " + i, "c-" + i));
            }
            String last = "c-" + (MESSAGES - 1);
            // Broadcast once stored: the echo of the last means all of them are in the store.
            poster.next(e -> "message".equals(e.getString("type")) && last.equals(e.getString("cid", null)));
        }
    }

    @Test
    void historyIsGzippedForClientsThatAcceptIt() throws Exception {
        HttpResponse<byte[]> plain = get("198.51.100.1", null);
        HttpResponse<byte[]> compressed = get("198.51.100.1", "gzip, deflate");
        assertEquals(200, compressed.statusCode());
        assertEquals("gzip", compressed.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(compressed.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Accept-Encoding")));
        byte[] unpacked;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.body()))) {
            unpacked = in.readAllBytes();
        }
        assertEquals(new String(plain.body(), StandardCharsets.UTF_8), new String(unpacked, StandardCharsets.UTF_8));
        assertEquals(50, json(unpacked).size());
        assertTrue(compressed.body().length * 4 < plain.body().length,
                "compressed " + compressed.body().length + " bytes of " + plain.body().length);
        System.out.printf("[history-cost] %s: 50 messages, %d bytes, %d gzipped%n", server.containerName(),
                plain.body().length, compressed.body().length);
    }

    @Test
    void oneClientGets429AfterItsBudgetAndOthersKeepTheirs() throws Exception {
        for (int i = 0; i < BURST; i++) {
            assertEquals(200, get("198.51.100.2", "gzip").statusCode(), "request " + i + " is within the burst");
        }
        for (int i = 0; i < 10; i++) {
            HttpResponse<byte[]> refused = get("198.51.100.2", null);
            assertEquals(429, refused.statusCode());
            assertEquals("60", refused.headers().firstValue("Retry-After").orElse(null), "one page a minute");
            assertEquals("rate_limited",
                    Json.createReader(new StringReader(new String(refused.body(), StandardCharsets.UTF_8)))
                    .readObject().getString("error"));
        }
        assertEquals(200, get("198.51.100.3", null).statusCode(), "another client has its own budget");
    }

    private HttpResponse<byte[]> get(String client, String acceptEncoding) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.pageUri().resolve("history"))
                .timeout(Duration.ofSeconds(10)).header("X-Forwarded-For", client).GET();
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonArray json(byte[] body) {
        try (JsonReader reader = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
            return reader.readArray();
        }
    }
}
