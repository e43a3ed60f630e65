package chatroom.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The store a webapp runs with: the container's DataSource ({@value ContainerDataSource#NAME}) when it offers one,
 * else the embedded SQLite file, its volume's free space watched; schema migrated; retention purge running. What it
 * opened is in {@link #description()} for the start-up log line.
 */
public final class DurableStore implements AutoCloseable {
    private final MessageStore messages;
    private final RetentionPurge purge;
    /** Null for the container's DataSource: only the embedded file needs them. */
    private final WalCheckpoints checkpoints;
    /** Null for the container's DataSource: its disk is not on this server. */
    private final FreeSpaceWatch space;
    private final String description;

    private DurableStore(MessageStore messages, RetentionPurge purge, WalCheckpoints checkpoints, FreeSpaceWatch space,
                         String description) {
        this.messages = messages;
        this.purge = purge;
        this.checkpoints = checkpoints;
        this.space = space;
        this.description = description;
    }

    /** Opens the store for the webapp at {@code contextPath}; fails with a message naming what to fix. */
    public static DurableStore open(StoreSettings settings, String contextPath, Clock clock) {
        return open(settings, contextPath, clock, MessageStore.DEFAULT_ROOM);
    }

    /** The same; messages stored before rooms existed go to {@code defaultRoom} when the schema is upgraded. */
    public static DurableStore open(StoreSettings settings, String contextPath, Clock clock, String defaultRoom) {
        Optional<DataSource> container = ContainerDataSource.lookup();
        DataSource dataSource;
        String description;
        FreeSpaceWatch space = null;
        if (container.isPresent()) {
            dataSource = container.get();
            description = "the container's DataSource " + ContainerDataSource.NAME;
        } else {
            Path dir = StoreLocation.resolve(settings.dir(), contextPath, System::getProperty);
            dataSource = EmbeddedDatabase.in(dir);
            space = FreeSpaceWatch.start(dir, settings.minFreeBytes());
            description = "SQLite " + dir.resolve(EmbeddedDatabase.FILE_NAME).toAbsolutePath();
        }
        MessageStore messages = MessageStore.open(dataSource, defaultRoom);
        WalCheckpoints checkpoints = container.isPresent() ? null : WalCheckpoints.start(dataSource);
        RetentionPurge purge = new RetentionPurge(messages, settings.retention(), clock);
        purge.start(settings.purgeIntervalMillis());
        return new DurableStore(messages, purge, checkpoints, space, description);
    }

    /**
     * The embedded database file the webapp at {@code contextPath} would open, or empty when the container offers its
     * DataSource.
     */
    public static Optional<Path> embeddedFile(StoreSettings settings, String contextPath) {
        if (ContainerDataSource.lookup().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(StoreLocation.resolve(settings.dir(), contextPath, System::getProperty)
                .resolve(EmbeddedDatabase.FILE_NAME));
    }

    public MessageStore messages() {
        return messages;
    }

    /** Whether there is room for new messages (always, for the container's DataSource). */
    public StoreSpace space() {
        return space == null ? StoreSpace.UNWATCHED : space;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        purge.close();
        if (space != null) {
            space.close();
        }
        if (checkpoints != null) {
            checkpoints.close();
        }
    }
}
