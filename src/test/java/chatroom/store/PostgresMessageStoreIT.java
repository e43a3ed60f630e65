package chatroom.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import chatroom.testing.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store contract on PostgreSQL 15: a real server started on a free loopback port for this class, one new
 * database per test. Skipped with a message where Debian's PostgreSQL is missing (a failure with CI=true).
 */
class PostgresMessageStoreIT extends MessageStoreContract {
    private static PostgresServer server;
    private static int databases;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theArchiveWaitsOutADatabaseRestartAndLosesNothing() throws Exception {
        DataSource database = freshDatabase();
        MessageStore store = MessageStore.open(database);
        StoreArchive archive = StoreArchive.start(store, 1000);
        try {
            server.stop();
            archive.offer(List.of(new StoredMessage("general", 1, "alice", "while down", 1, null)));
            archive.offer(List.of(new StoredMessage("general", 2, "bob", "still down", 2, "c-2")));
            server.startAgain();
            // Retries back off up to 2 s.
            await("the archive catches up once the database is back").atMost(15, TimeUnit.SECONDS)
                    .pollInterval(Duration.ofMillis(50)).until(() -> archive.archivedUpTo() >= 2);
        } finally {
            archive.close();
        }
        assertEquals(List.of(1L, 2L), store.after(0, 10).stream().map(StoredMessage::id).toList());
    }

    @Override
    DataSource freshDatabase() {
        return server.createDatabase("contract_" + databases++);
    }

    @Override
    DataSource reopen(DataSource database) {
        // A PGSimpleDataSource holds no connection: a new one on the same database is what a restart opens.
        return server.dataSource(((PGSimpleDataSource) database).getDatabaseName());
    }
}
