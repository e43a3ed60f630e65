package chatroom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import chatroom.testing.Folders;
import chatroom.testing.EmbeddedTomcat;
import chatroom.testing.PostgresServer;
import chatroom.testing.RedisServer;
import chatroom.testing.WebSession;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The production set-up for several nodes: node A embedded Jetty, node B embedded Tomcat, one real redis-server as
 * the live bus (it gives the ids) and one real PostgreSQL both containers offer the webapp as
 * java:comp/env/jdbc/chatroom. Both nodes deliver, and so archive, every message; the database must keep each
 * once, whichever node accepted it, and serve it as scrollback from either node.
 *
 * <p>One class for both containers, as {@link RedisBackplaneIT}: the two nodes are one of each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedPostgresIT {
    private static final int PER_NODE = 20;

    private RedisServer redis;
    private PostgresServer postgres;
    private PGSimpleDataSource database;
    private Path storeDir;
    private ChatServer nodeA;
    private ChatServer nodeB;

    @BeforeAll
    void start() throws Exception {
        storeDir = Files.createTempDirectory("chat-unused-store");
        redis = RedisServer.start();
        postgres = PostgresServer.start();
        database = postgres.createDatabase("chatroom");
        Map<String, String> params = new HashMap<>(ServerSuite.RELAXED);
        params.put("chat.redis.url", redis.url());
        params.put("chat.store.dir", storeDir.toString());
        // Jetty first: embedded Tomcat's naming sets JVM-wide JNDI properties that Jetty's lookup (at the webapp's
        // start) would then go through and miss; the webapp keeps the DataSource it found at its start.
        nodeA = EmbeddedJetty.start(params, 0, "", database);
        nodeB = EmbeddedTomcat.start(params, 0, "", database);
    }

    @AfterAll
    void stop() throws Exception {
        // Tomcat first: closing it puts back the JNDI properties Jetty's own stop looks its java:comp up through.
        // Every one closed even when one fails: a server left running outlives the test JVM.
        Exception failure = null;
        for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, redis, postgres}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (storeDir != null) {
            Folders.deleteTree(storeDir);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void messagesAcceptedOnEitherNodeAreSeenByBothStoredOnceAndServedAsHistoryByBoth() throws Exception {
        String tag = ServerSuite.unique("shared");
        Map<String, String> sent = new LinkedHashMap<>(); // cid -> text
        LinkedHashMap<Long, String> atA;
        LinkedHashMap<Long, String> atB;
        try (ChatClient a = WebSession.joined(nodeA, ServerSuite.unique("ann"), null);
             ChatClient b = WebSession.joined(nodeB, ServerSuite.unique("ben"), null)) {
            for (int i = 0; i < PER_NODE; i++) {
                for (ChatClient sender : List.of(a, b)) {
                    String text = tag + "-" + (sender == a ? "a" : "b") + "-" + i;
                    sender.send(ChatClient.envelope(text, "c-" + text));
                    sent.put("c-" + text, text);
                }
            }
            String lastA = tag + "-a-" + (PER_NODE - 1);
            String lastB = tag + "-b-" + (PER_NODE - 1);
            atA = RedisBackplaneIT.messagesUntil(a, lastA, lastB);
            atB = RedisBackplaneIT.messagesUntil(b, lastA, lastB);
        }
        assertEquals(new ArrayList<>(atA.entrySet()), new ArrayList<>(atB.entrySet()), "both nodes saw the same");
        assertEquals(List.copyOf(sent.values()).stream().sorted().toList(),
                atA.values().stream().sorted().toList(), "every message sent on either node, once");

        Map<Long, String> stored = awaitStored(tag, sent.size());
        assertEquals(atA, stored, "every id stored with its text, none missing");
        assertEquals(sent.size(), rows("SELECT COUNT(*) FROM chat_message WHERE text LIKE '%s'", tag),
                "one row per message, though both nodes archived each");
        assertEquals(sent.size(), rows("SELECT COUNT(DISTINCT cid) FROM chat_message WHERE text LIKE '%s'", tag),
                "one row per cid");
        assertEquals(0, rows("SELECT COUNT(*) FROM (SELECT cid FROM chat_message WHERE text LIKE '%s'"
                + " GROUP BY cid HAVING COUNT(*) > 1) AS twice", tag), "no cid stored twice");

        for (ChatServer node : List.of(nodeA, nodeB)) {
            HttpResponse<String> response = new WebSession(node).get("history?limit=" + sent.size());
            assertEquals(200, response.statusCode(), node.containerName() + ": " + response.body());
            LinkedHashMap<Long, String> history = new LinkedHashMap<>();
            JsonArray page = HistoryIT.json(response.body()).asJsonArray();
            for (JsonObject message : page.getValuesAs(JsonObject.class)) {
                history.put(message.getJsonNumber("id").longValue(), message.getString("text"));
            }
            assertEquals(new ArrayList<>(atA.entrySet()), new ArrayList<>(history.entrySet()),
                    node.containerName() + " serves the shared history, oldest first");
        }
        assertFalse(Files.exists(storeDir.resolve("chatroom.db")), "neither node used the embedded file");
    }

    /**
     * The rows of this test's messages (id to text) once there are {@code expected} of them: the nodes archive on a
     * thread of their own, after delivering. Polled every 50 ms for at most {@link ChatClient#WAIT}.
     */
    private Map<Long, String> awaitStored(String tag, int expected) {
        return await(expected + " rows of " + tag + " stored").atMost(ChatClient.WAIT).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(() -> storedTexts(tag), stored -> stored.size() >= expected);
    }

    /** Every stored row of this test, id to text, in id order. */
    private Map<Long, String> storedTexts(String tag) throws SQLException {
        Map<Long, String> rows = new LinkedHashMap<>();
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT id, text FROM chat_message WHERE text LIKE ? ORDER BY id")) {
            statement.setString(1, tag + "%");
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getLong(1), result.getString(2));
                }
            }
        }
        return rows;
    }

    /** A count over this test's rows: {@code sql} with its texts' LIKE pattern (the tag is letters, digits, '-'). */
    private long rows(String sql, String tag) {
        return PostgresServer.queryLong(database, sql.formatted(tag + "%"));
    }
}
