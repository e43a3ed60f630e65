package chatroom.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the system programs the tests and the benchmark start. */
public final class Processes {
    private Processes() {
    }

    /** SIGTERM, then SIGKILL if the process is still there after {@code grace}; waits at most twice that. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
