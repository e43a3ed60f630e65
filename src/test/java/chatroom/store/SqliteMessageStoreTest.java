package chatroom.store;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded engine: an SQLite file in a temporary directory. */
class SqliteMessageStoreTest extends MessageStoreContract {
    @TempDir
    Path temp;
    private final Map<DataSource, Path> dirs = new IdentityHashMap<>();
    private int databases;

    @Override
    DataSource freshDatabase() {
        Path dir = temp.resolve("db" + databases++);
        DataSource database = EmbeddedDatabase.in(dir);
        dirs.put(database, dir);
        return database;
    }

    @Override
    DataSource reopen(DataSource database) {
        return EmbeddedDatabase.in(dirs.get(database));
    }
}
