package chatroom.store;

import chatroom.testing.PostgresServer;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
