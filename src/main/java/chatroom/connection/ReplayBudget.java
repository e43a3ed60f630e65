package chatroom.connection;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The replay bytes all connections together may have queued or in flight. A connection replaying history takes
 * one {@link Connection#REPLAY_PIECE_BYTES piece} at a time and holds it until its replay ends; one that finds the
 * budget spent waits (its live frames behind it) and is pumped again when a piece comes back. A storm of resumes
 * thus costs the server at most this much at once, however many connections ask.
 */
public final class ReplayBudget {
    private final long totalBytes;
    private long availableBytes;
    private final Set<Connection> waiting = new LinkedHashSet<>();

    public ReplayBudget(long totalBytes) {
        this.totalBytes = totalBytes;
        this.availableBytes = totalBytes;
    }

    /** Takes {@code bytes}, or registers {@code waiter} to be pumped when some come back and answers false. */
    synchronized boolean take(long bytes, Connection waiter) {
        if (availableBytes >= bytes) {
            availableBytes -= bytes;
            return true;
        }
        waiting.add(waiter);
        return false;
    }

    /** Gives bytes back and pumps the connections that waited for them (outside this lock: a pump sends). */
    void give(long bytes) {
        if (bytes == 0) {
            return;
        }
        List<Connection> wake;
        synchronized (this) {
            availableBytes += bytes;
            wake = new ArrayList<>(waiting);
            waiting.clear();
        }
        wake.forEach(Connection::pump);
    }

    synchronized long inUse() {
        return totalBytes - availableBytes;
    }
}
