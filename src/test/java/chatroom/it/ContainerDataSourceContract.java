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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Production set-up: the container offers a PostgreSQL DataSource as java:comp/env/jdbc/chatroom (a real server
 * the test starts) and the webapp uses it instead of the embedded file, creating the schema on an empty database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerDataSourceContract {
    private PostgresServer postgres;
    private PGSimpleDataSource database;
    private ChatServer server;
    private Path storeDir;

    /** The webapp in this suite's container, offered {@code dataSource} through JNDI. */
    abstract ChatServer start(Map<String, String> contextParams, PGSimpleDataSource dataSource);

    @BeforeAll
    void startServers() throws IOException {
        storeDir = Files.createTempDirectory("chat-unused-store");
        postgres = PostgresServer.start();
        database = postgres.createDatabase("chatroom");
        server = start(Map.of("chat.store.dir", storeDir.toString()), database);
    }

    @AfterAll
    void stopServers() throws IOException {
        if (server != null) {
            server.close();
        }
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
        assertEquals(List.of("1", "2"), appliedMigrations());
        assertFalse(Files.exists(storeDir.resolve("chatroom.db")), "the embedded file is not used");

        MessageStore store = MessageStore.open(database);
        store.insert(List.of(new StoredMessage(1, "alice", "kept in PostgreSQL", 1_764_201_600_000L, "c-1"),
                new StoredMessage(2, "bob", "me too", 1_764_201_600_001L, null)));
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.pageUri().resolve(URI.create("history"))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("[{\"type\":\"message\",\"id\":1,\"from\":\"alice\",\"text\":\"kept in PostgreSQL\",\"ts\":1764201600000,"
                + "\"cid\":\"c-1\"},{\"type\":\"message\",\"id\":2,\"from\":\"bob\",\"text\":\"me too\",\"ts\":1764201600001}]",
                page.body());
    }

    private List<String> appliedMigrations() throws Exception {
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
}
