package chatroom.store;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Today's code on an embedded database file made by an earlier release: migrated on open, nothing lost. */
class SqliteUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aSchemaVersion2FileOpensWithEveryMessageKept() throws Exception {
        Files.copy(PreviousRelease.SQLITE_V2, dir.resolve(EmbeddedDatabase.FILE_NAME));
        PreviousRelease.assertKeptAndWritable(MessageStore.open(EmbeddedDatabase.in(dir)));
    }
}
