package chatroom.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.SQLiteDataSource;

/** The store's default: one SQLite file, {@code chatroom.db}, in a directory the operator may choose. */
public final class EmbeddedDatabase {
    static final String FILE_NAME = "chatroom.db";

    private EmbeddedDatabase() {
    }

    /**
     * A DataSource on the database file in {@code dir}, creating the directory. Every connection runs in WAL mode
     * (readers never wait for the writer) with {@code synchronous=NORMAL}: a commit has written its log when it
     * returns, so an acknowledged message survives a killed process (kill -9) or a crashed container; a power cut
     * or an OS crash may lose the last commits since the log was last synced. FULL would sync on every commit:
     * measured 5-6 ms per commit here, against about 1 ms. Checkpoints run on their own thread
     * ({@link WalCheckpoints}), not inside a commit.
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
        loadNativeLibrary();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // The purge and the writer may meet; the loser waits this long rather than failing at once.
        config.setBusyTimeout(10_000);
        // Never checkpoint inside a commit: WalCheckpoints does it on its own thread.
        config.setWalAutocheckpoint(0);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve(FILE_NAME).toAbsolutePath());
        return dataSource;
    }

    /**
     * Loads SQLite's native library with the container's class loader as the thread's context class loader. To pick
     * the library, sqlite-jdbc runs {@code uname}; the JDK then starts its "process reaper" thread, which takes the
     * calling thread's context class loader and outlives the webapp: with this webapp's loader, it would keep the
     * undeployed webapp in memory.
     */
    private static void loadNativeLibrary() {
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedDatabase.class.getClassLoader().getParent());
        try {
            SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load SQLite's native library", e);
        } finally {
            thread.setContextClassLoader(context);
        }
    }
}
