package chatroom.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * Accepted messages in a relational database: the embedded SQLite file or the container's PostgreSQL. Every
 * statement is plain SQL that both engines read alike; the schema is Flyway's ({@link Migrations}).
 *
 * <p>Thread-safe: each call borrows its own connection from the DataSource. Ids are given, never generated here:
 * one {@link GroupCommitWriter} (or the Redis log, with several nodes) decides them.
 */
public final class MessageStore {
    /** The room messages belong to when no room is named: what a store opened without one migrates into. */
    public static final String DEFAULT_ROOM = "general";
    private static final String COLUMNS = "room, id, sender, text, ts, cid, signed_in";
    private static final String INSERT = "INSERT INTO chat_message (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    /**
     * Not deleted by a moderator. A deleted message's row is gone, but an archive may store it again after the
     * delete (it delivers late): the tombstone keeps it out of every read.
     */
    private static final String KEPT = " NOT EXISTS (SELECT 1 FROM chat_tombstone t WHERE t.id = chat_message.id)";
    /** Purges delete at most this many ids per transaction, so a first purge of a large table never stalls writes. */
    private static final long PURGE_CHUNK = 10_000;

    private final DataSource dataSource;

    private MessageStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or migrates the schema to the newest version, then opens the store on it. */
    public static MessageStore open(DataSource dataSource) {
        return open(dataSource, DEFAULT_ROOM);
    }

    /** The same, with messages stored before rooms existed going to {@code defaultRoom}. */
    public static MessageStore open(DataSource dataSource, String defaultRoom) {
        Migrations.migrate(dataSource, defaultRoom);
        return new MessageStore(dataSource);
    }

    /** The database, for what else the webapp keeps beside its messages (moderation). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Highest stored id, or 0 when the store is empty. */
    public long newestId() throws SQLException {
        return singleLong("SELECT MAX(id) FROM chat_message", 0);
    }

    /**
     * Stores the messages in one transaction: all or none. An id that is already stored fails the whole batch,
     * since it means two writers are giving out the same ids.
     */
    public void insert(List<StoredMessage> messages) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            insert(connection, messages);
        }
    }

    /**
     * As {@link #insert(List)}, on a connection the caller keeps: the writer's, since opening one costs more than
     * the commit itself (3-8 ms for the SQLite file, a round trip or more for an unpooled PostgreSQL DataSource).
     */
    void insert(Connection connection, List<StoredMessage> messages) throws SQLException {
        write(connection, messages, INSERT);
    }

    /** A connection for a caller that keeps it across calls; the caller closes it. */
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Stores the messages not stored yet, in one transaction, and says how many were new: for copies of one
     * message arriving from several places (nodes sharing a database), which must leave one row.
     */
    public int insertIfAbsent(List<StoredMessage> messages) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return write(connection, messages, INSERT + " ON CONFLICT (id) DO NOTHING");
        }
    }

    /** Up to {@code limit} messages of every room with an id above {@code id}, oldest first. */
    public List<StoredMessage> after(long id, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM chat_message WHERE id > ? AND" + KEPT + " ORDER BY id LIMIT ?",
                null, id, limit);
    }

    /**
     * The {@code limit} newest messages of {@code room} with an id below {@code id}, oldest first: a page of
     * scrollback.
     */
    public List<StoredMessage> before(String room, long id, int limit) throws SQLException {
        List<StoredMessage> newestFirst = query("SELECT " + COLUMNS
                + " FROM chat_message WHERE room = ? AND id < ? AND" + KEPT + " ORDER BY id DESC LIMIT ?",
                room, id, limit);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The {@code limit} newest messages of {@code room}, oldest first. */
    public List<StoredMessage> newest(String room, int limit) throws SQLException {
        return before(room, Long.MAX_VALUE, limit);
    }

    /** The {@code limit} newest messages of every room, oldest first. */
    public List<StoredMessage> newest(int limit) throws SQLException {
        List<StoredMessage> newestFirst =
                query("SELECT " + COLUMNS + " FROM chat_message WHERE" + KEPT + " ORDER BY id DESC LIMIT ?",
                        null, null, limit);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /**
     * Deletes what the retention no longer keeps: messages older than {@code nowMillis - maxAge} and all but the
     * newest {@code maxCount}. The newest message always stays, so ids continue after it. Returns the rows deleted.
     */
    public long purge(Retention retention, long nowMillis) throws SQLException {
        if (retention.keepsEverything()) {
            return 0;
        }
        long keepFrom = firstIdToKeep(retention, nowMillis);
        long deleted = 0;
        // Chunks of ids, each its own transaction: a writer waiting on the database waits for one chunk at most.
        for (long oldest = oldestId(); oldest != 0 && oldest < keepFrom; oldest = oldestId()) {
            long below = Math.min(keepFrom, oldest + PURGE_CHUNK);
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement("DELETE FROM chat_message WHERE id < ?")) {
                statement.setLong(1, below);
                deleted += statement.executeUpdate();
            }
        }
        return deleted;
    }

    private long firstIdToKeep(Retention retention, long nowMillis) throws SQLException {
        long newest = newestId();
        long keepFrom = 0;
        if (!retention.maxAge().isZero()) {
            long cutoff = nowMillis - retention.maxAge().toMillis();
            // Nothing young enough: keep only the newest message.
            keepFrom = Math.max(keepFrom,
                    singleLong("SELECT MIN(id) FROM chat_message WHERE ts >= ?", newest, cutoff));
        }
        if (retention.maxCount() > 0) {
            keepFrom = Math.max(keepFrom, singleLong(
                    "SELECT id FROM chat_message ORDER BY id DESC LIMIT 1 OFFSET ?", 0, retention.maxCount() - 1));
        }
        return Math.min(keepFrom, newest);
    }

    private long oldestId() throws SQLException {
        return singleLong("SELECT MIN(id) FROM chat_message", 0);
    }

    /** The single value the query returns for the parameters, or {@code absent} when it finds no row or NULL. */
    private long singleLong(String sql, long absent, long... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setLong(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return absent;
                }
                long value = rows.getLong(1);
                return rows.wasNull() ? absent : value;
            }
        }
    }

    private static int write(Connection connection, List<StoredMessage> messages, String sql) throws SQLException {
        if (messages.isEmpty()) {
            return 0;
        }
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (StoredMessage message : messages) {
                statement.setString(1, message.room());
                statement.setLong(2, message.id());
                statement.setString(3, message.sender());
                statement.setString(4, message.text());
                statement.setLong(5, message.timestamp());
                if (message.cid() == null) {
                    statement.setNull(6, Types.VARCHAR);
                } else {
                    statement.setString(6, message.cid());
                }
                statement.setInt(7, message.signedIn() ? 1 : 0);
                statement.addBatch();
            }
            int inserted = 0;
            for (int count : statement.executeBatch()) {
                // SUCCESS_NO_INFO (-2): a driver that does not count rows per statement counts as inserted.
                inserted += count == PreparedStatement.SUCCESS_NO_INFO ? 1 : count;
            }
            connection.commit();
            connection.setAutoCommit(true);
            return inserted;
        } catch (SQLException | RuntimeException e) {
            // A broken connection fails these too: the first failure is the one to report.
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    /** Runs {@code sql} with its parameters in order: the room and the id where not null, then the limit. */
    private List<StoredMessage> query(String sql, String room, Long id, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 1;
            if (room != null) {
                statement.setString(parameter++, room);
            }
            if (id != null) {
                statement.setLong(parameter++, id);
            }
            statement.setInt(parameter, limit);
            return read(statement);
        }
    }

    private static List<StoredMessage> read(PreparedStatement statement) throws SQLException {
        List<StoredMessage> messages = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                messages.add(new StoredMessage(rows.getString(1), rows.getLong(2), rows.getString(3),
                        rows.getString(4), rows.getLong(5), rows.getString(6), rows.getInt(7) != 0));
            }
        }
        return messages;
    }
}
