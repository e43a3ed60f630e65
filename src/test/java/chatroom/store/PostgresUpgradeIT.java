package chatroom.store;

import chatroom.testing.PostgresServer;
import org.junit.jupiter.api.Test;

/**
 * Today's code on a PostgreSQL database restored from a dump an earlier release made: migrated on open, nothing
 * lost. Skipped where Debian's PostgreSQL is missing (a failure with CI=true).
 */
class PostgresUpgradeIT {
    @Test
    void aSchemaVersion2DumpOpensWithEveryMessageKept() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            server.createDatabase("upgraded");
            server.runScript("upgraded", PreviousRelease.POSTGRES_V2);
            PreviousRelease.assertKeptAndWritable(MessageStore.open(server.dataSource("upgraded")));
        }
    }
}
