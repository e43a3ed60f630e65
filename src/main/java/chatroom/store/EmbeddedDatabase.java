package chatroom.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The store's default: one SQLite file, {@code chatroom.db}, in a directory the operator may choose. */
public final class EmbeddedDatabase {
    static final String FILE_NAME = "chatroom.db";

    private EmbeddedDatabase() {
    }

    /**
     * A DataSource on the database file in {@code dir}, creating the directory. Every connection runs in WAL mode
     * (readers never wait for the writer) with {@code synchronous=FULL}: a commit returns once the log is on disk,
     * so an acknowledged message survives a killed process and a power cut; group commit pays that once per batch.
     */
    public static DataSource in(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store directory " + dir
                    + " (set chat.store.dir to a writable directory)", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("the store directory " + dir
                    + " is not writable (set chat.store.dir to a writable directory)");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // The purge and the writer may meet; the loser waits this long rather than failing at once.
        config.setBusyTimeout(10_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve(FILE_NAME).toAbsolutePath());
        return dataSource;
    }
}
