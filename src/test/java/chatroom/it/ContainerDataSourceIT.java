package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import chatroom.store.MessageStore;
import chatroom.store.StoredMessage;
import chatroom.testing.ChatServer;
import chatroom.testing.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Production set-up: the container offers a PostgreSQL DataSource as java:comp/env/jdbc/chatroom (a real server
 * the test starts) and the webapp uses it instead of the embedded file, creating the schema on an empty database.
 */
class ContainerDataSourceIT extends ContainerSuite {
    private PostgresServer postgres;
    private Path storeDir;

    /**
     * One PostgreSQL for the suite, a database and the webapp's servers per test: never two embedded Tomcats with
     * naming at once (enableNaming's JNDI properties are JVM-wide; tried, the second webapp did not find its
     * DataSource and fell back to the embedded file; a real Tomcat hosts every webapp in one server).
     */
    @BeforeAll
    void startPostgres() throws IOException {
        storeDir = Files.createTempDirectory("chat-unused-store");
        postgres = PostgresServer.start();
    }

    @AfterAll
    void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
        // Empty unless the webapp wrongly used the embedded file, which the test reports.
        if (storeDir != null) {
            try (var files = Files.list(storeDir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(storeDir);
        }
    }

    @Test
    void theWebappMigratesTheEmptyDatabaseAndServesHistoryFromIt() throws Exception {
        PGSimpleDataSource database = postgres.createDatabase("chatroom_" + runName());
        try (ChatServer server = container.start(Map.of("chat.store.dir", storeDir.toString()), database)) {
            assertServesHistory(server, database);
        }
    }

    private void assertServesHistory(ChatServer server, PGSimpleDataSource database) throws Exception {
        assertEquals(List.of("1", "2", "3", "4"), appliedMigrations(database));
        assertFalse(Files.exists(storeDir.resolve("chatroom.db")), "the embedded file is not used");

        MessageStore store = MessageStore.open(database);
        store.insert(List.of(new StoredMessage("general", 1, "alice", "kept in PostgreSQL", 1_764_201_600_000L, "c-1"),
                new StoredMessage("general", 2, "bob", "me too", 1_764_201_600_001L, null)));
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.pageUri().resolve(URI.create("history")))
                .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("[{\"type\":\"message\",\"id\":1,\"from\":\"alice\",\"text\":\"kept in "
                + "PostgreSQL\",\"ts\":1764201600000,"
                + "\"cid\":\"c-1\"},{\"type\":\"message\",\"id\":2,\"from\":\"bob\",\"text\":\"me "
                + "too\",\"ts\":1764201600001}]",
                page.body());
    }

    /**
     * The restart of {@link DurableRestartIT} with the history in PostgreSQL: ids continue from the rows,
     * not from the embedded file (which stays unused).
     */
    @Test
    void aRestartKeepsTheMessagesTheIdsAndAnExactResumeFromTheDatabase() throws Exception {
        PGSimpleDataSource restartDatabase = postgres.createDatabase("chatroom_restart_" + runName());
        Map<String, String> params = new HashMap<>(ServerSuite.RELAXED);
        params.put("chat.store.dir", storeDir.toString());
        DurableRestartIT.assertRestartKeepsHistory(() -> container.start(params, restartDatabase));
        assertEquals(11, PostgresServer.queryLong(restartDatabase, "SELECT COUNT(*) FROM chat_message"),
                "the ten messages from before the restart and the one after, in PostgreSQL");
        assertFalse(Files.exists(storeDir.resolve("chatroom.db")), "the embedded file is not used");
    }

    private static List<String> appliedMigrations(PGSimpleDataSource database) throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection connection = database.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM chat_schema_history WHERE success ORDER BY installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    /** The two container runs share one PostgreSQL server: each makes databases of its own. */
    private String runName() {
        return container.name().toLowerCase(java.util.Locale.ROOT);
    }
}
