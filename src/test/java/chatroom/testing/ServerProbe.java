package chatroom.testing;

import static org.awaitility.Awaitility.await;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoublePredicate;

/** What a server says about itself: GET /health as JSON, GET /metrics as figures by series. */
public final class ServerProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ChatClient.WAIT).build();

    private static final Duration POLL = Duration.ofMillis(100);

    private final ChatServer server;

    public ServerProbe(ChatServer server) {
        this.server = server;
    }

    public JsonObject health() {
        try (JsonReader reader = Json.createReader(new StringReader(get("health")))) {
            return reader.readObject();
        }
    }

    /**
     * Every sample of the Prometheus text, keyed by the series as exposed: {@code chat_connections},
     * {@code chat_closes_total{reason="idle"}}.
     */
    public Map<String, Double> metrics() {
        Map<String, Double> samples = new HashMap<>();
        for (String line : get("metrics").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** One series; fails when the server does not expose it. */
    public double metric(String series) {
        Double value = metrics().get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in /metrics");
        }
        return value;
    }

    /**
     * Polls the series (every 100 ms, for at most {@code within}) until {@code done} holds; its last value. For
     * figures that settle with no event a client could wait for, such as the server registering a connection.
     */
    public double awaitMetric(String series, DoublePredicate done, Duration within) {
        // A request that fails or times out (a container busy closing a thousand sessions) is asked again.
        double[] last = {Double.NaN};
        await(series + " in /metrics").atMost(within).pollDelay(Duration.ZERO).pollInterval(POLL).untilAsserted(() -> {
            last[0] = metric(series);
            if (!done.test(last[0])) {
                throw new AssertionError(series + " still " + last[0]);
            }
        });
        return last[0];
    }

    private String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(server.pageUri().resolve(path)).timeout(ChatClient.WAIT)
                .GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /" + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET /" + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
