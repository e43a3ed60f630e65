package chatroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's sqlite3 program, as an operator runs it on the store's file. */
public final class Sqlite3 {
    private static final Path BINARY = Path.of("/usr/bin/sqlite3");

    private Sqlite3() {
    }

    /** Skips the calling test where sqlite3 is missing, except in CI, where that is a failure. */
    public static void assumeInstalled() {
        SystemProgram.assumeInstalled(BINARY, "sqlite3");
    }

    /** Runs {@code sql} on the database file, waiting up to 10 s for a lock; returns what it printed. */
    public static String run(Path database, String sql) {
        try {
            Process process = new ProcessBuilder(BINARY.toString(), "-bail", "-cmd", ".timeout 10000",
                    database.toString(), sql).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("sqlite3 did not finish: " + sql);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("sqlite3 exited with " + process.exitValue() + " on " + sql
                        + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
