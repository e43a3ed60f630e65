package chatroom.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Accepted messages in a relational database: the embedded SQLite file or the container's PostgreSQL. Every
 * statement is plain SQL that both engines read alike; the schema is Flyway's ({@link Migrations}).
 *
 * <p>Thread-safe: each call borrows its own connection from the DataSource. Ids are given, never generated here:
 * one {@link GroupCommitWriter} (or the Redis log, with several nodes) decides them.
 */
public final class MessageStore {
    private static final String COLUMNS = "id, sender, text, ts, cid";
    private static final String INSERT = "INSERT INTO chat_message (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    /** Purges delete at most this many ids per transaction, so a first purge of a large table never stalls writes. */
    private static final long PURGE_CHUNK = 10_000;

    private final DataSource dataSource;

    private MessageStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or migrates the schema to the newest version, then opens the store on it. */
    public static MessageStore open(DataSource dataSource) {
        Migrations.migrate(dataSource);
        return new MessageStore(dataSource);
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

    /** Up to {@code limit} messages with an id above {@code id}, oldest first. */
    public List<StoredMessage> after(long id, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM chat_message WHERE id > ? ORDER BY id LIMIT ?", id, limit);
    }

    /** The {@code limit} newest messages with an id below {@code id}, oldest first: one page of scrollback. */
    public List<StoredMessage> before(long id, int limit) throws SQLException {
        List<StoredMessage> newestFirst =
                query("SELECT " + COLUMNS + " FROM chat_message WHERE id < ? ORDER BY id DESC LIMIT ?", id, limit);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The {@code limit} newest messages, oldest first. */
    public List<StoredMessage> newest(int limit) throws SQLException {
        return before(Long.MAX_VALUE, limit);
    }

    /** The newest message this sender sent with this client id among those with an id above {@code afterId}. */
    public Optional<StoredMessage> findByClientId(String sender, String cid, long afterId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM chat_message WHERE sender = ? AND cid = ? AND id > ? ORDER BY id DESC LIMIT 1")) {
            statement.setString(1, sender);
            statement.setString(2, cid);
            statement.setLong(3, afterId);
            List<StoredMessage> found = read(statement);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
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
                statement.setLong(1, message.id());
                statement.setString(2, message.sender());
                statement.setString(3, message.text());
                statement.setLong(4, message.timestamp());
                if (message.cid() == null) {
                    statement.setNull(5, Types.VARCHAR);
                } else {
                    statement.setString(5, message.cid());
                }
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

    private List<StoredMessage> query(String sql, long id, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            statement.setInt(2, limit);
            return read(statement);
        }
    }

    private static List<StoredMessage> read(PreparedStatement statement) throws SQLException {
        List<StoredMessage> messages = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                messages.add(new StoredMessage(rows.getLong(1), rows.getString(2), rows.getString(3),
                        rows.getLong(4), rows.getString(5)));
            }
        }
        return messages;
    }
}
