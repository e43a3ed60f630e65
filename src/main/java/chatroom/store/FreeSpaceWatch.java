package chatroom.store;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Watches the usable space of the embedded database's volume ({@code chat.store.minFreeBytes}): below the threshold
 * the store is short of space and the room refuses new messages, before SQLite meets a full disk in the middle of a
 * commit (what is stored stays as it is: nothing is written, so nothing is half-written). It recovers by itself at
 * the next check once space returns. The check is one {@code statfs}, on a thread of its own every
 * {@link #PERIOD_MILLIS}; appends only read the last answer.
 */
public final class FreeSpaceWatch implements StoreSpace, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FreeSpaceWatch.class.getName());
    /** At the store's top write rate (tens of MB/s) far less than the threshold can be written between two checks. */
    static final long PERIOD_MILLIS = 2000;

    private final String volume;
    private final long minFreeBytes;
    private final LongSupplier usableBytes;
    private volatile String shortage;
    private ScheduledExecutorService executor;

    /** @param usableBytes the volume's usable bytes now (a file's {@code getUsableSpace} outside tests) */
    FreeSpaceWatch(String volume, long minFreeBytes, LongSupplier usableBytes) {
        this.volume = volume;
        this.minFreeBytes = minFreeBytes;
        this.usableBytes = usableBytes;
    }

    /** Checks {@code dir}'s volume now and then every {@link #PERIOD_MILLIS}; {@code minFreeBytes} 0: never short. */
    public static FreeSpaceWatch start(Path dir, long minFreeBytes) {
        FreeSpaceWatch watch = new FreeSpaceWatch(dir.toString(), minFreeBytes, dir.toFile()::getUsableSpace);
        watch.check();
        if (minFreeBytes > 0) {
            watch.executor = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "chat-store-space");
                thread.setDaemon(true);
                return thread;
            });
            watch.executor.scheduleWithFixedDelay(watch::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
        return watch;
    }

    /** Reads the usable space and updates {@link #shortage()}. */
    void check() {
        if (minFreeBytes == 0) {
            return;
        }
        long usable = usableBytes.getAsLong();
        String now = usable < minFreeBytes
                ? "only " + usable + " bytes usable on the volume of " + volume + ", below chat.store.minFreeBytes="
                        + minFreeBytes
                : null;
        String before = shortage;
        shortage = now;
        if (now != null && before == null) {
            LOG.log(System.Logger.Level.ERROR, "new messages refused: " + now);
        } else if (now == null && before != null) {
            LOG.log(System.Logger.Level.INFO, "new messages accepted again: " + usable + " bytes usable on " + volume);
        }
    }

    @Override
    public String shortage() {
        return shortage;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
