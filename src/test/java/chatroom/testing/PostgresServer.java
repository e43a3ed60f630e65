package chatroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL 15 server (Debian's) in a fresh data directory on a free 127.0.0.1 port, started with
 * {@code pg_ctl}, stopped and deleted on {@link #close()}. The server refuses to run as root, so under root it
 * runs as the {@code postgres} user (through {@code runuser}); the data directory is handed to that user.
 * fsync is off: the tests kill processes, not the power.
 */
public final class PostgresServer implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String SERVER_USER = "postgres";
    private static final String DB_USER = "chat";

    private final Path dir;
    private final int port;
    private boolean running;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test where PostgreSQL is not installed, except in CI, where that is a failure. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(BIN.resolve("pg_ctl")) && Files.isExecutable(BIN.resolve("initdb"));
        String why = BIN + "/pg_ctl and initdb are missing: apt-get install postgresql";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(installed, why);
        }
        Assumptions.assumeTrue(installed, why + " (skipped; CI=true makes this a failure)");
    }

    public static PostgresServer start() {
        assumeInstalled();
        PostgresServer server;
        try {
            Path dir = Files.createTempDirectory("chat-postgres");
            server = new PostgresServer(dir, RedisServer.freePort());
            if (isRoot()) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(SERVER_USER);
                Files.setOwner(dir, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server.run(BIN.resolve("initdb").toString(), "-D", server.data().toString(), "-U", DB_USER,
                    "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
            server.startServer();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** A new, empty database on this server: one per test keeps tests apart. */
    public PGSimpleDataSource createDatabase(String name) {
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return dataSource(name);
    }

    /** A DataSource on an existing database: a new connection for each {@code getConnection()}, no pool. */
    public PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"127.0.0.1"});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(DB_USER);
        return dataSource;
    }

    /** The one number {@code sql} answers on {@code database} (a count, say), for tests that check the rows. */
    public static long queryLong(DataSource database, String sql) {
        try (Connection connection = database.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            Assertions.assertTrue(rows.next(), "no row: " + sql);
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Runs a plain SQL script with psql against {@code database}, stopping at the first error: how a plain
     * {@code pg_dump} is restored. The file must be readable by the server's user.
     */
    public void runScript(String database, Path script) {
        run(BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", DB_USER,
                "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-f", script.toAbsolutePath().toString());
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return DB_USER;
    }

    /** Stops the server at once (open connections are cut); its data stays for {@link #startAgain()}. */
    public void stop() {
        if (running) {
            running = false;
            run(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "-t", "30", "stop");
        }
    }

    /** Starts the stopped server again on the same port, with its data. */
    public void startAgain() {
        startServer();
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            Folders.deleteTree(dir);
        }
    }

    private void startServer() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off";
        run(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-o", options, "-w", "-t", "30", "start");
        running = true;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** Runs one PostgreSQL program to its end (as the server user under root); its output goes to a log file. */
    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        line.addAll(List.of(command));
        Path log = dir.resolve("commands.log");
        try {
            Process process = new ProcessBuilder(line)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "): " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
