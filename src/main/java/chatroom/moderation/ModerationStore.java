package chatroom.moderation;

import chatroom.nickname.NicknameForm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Moderation's rows in the webapp's database (tables of migration V4, beside the messages): every action in the
 * audit, and what still holds (bans, mutes, room rules, reserved names, tombstones). Every write ignores a row that is
 * already there or overwrites it with the same values, so an action applied twice leaves the same rows.
 */
final class ModerationStore {
    /** How far back (in ids, every room together) a purge looks in the store. */
    static final long PURGE_REACH = 100_000;

    private final DataSource dataSource;

    ModerationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A stored message's room and sender. */
    record Found(long id, String room, String sender) {
    }

    /** What holds, read at start. */
    record Holding(List<Ban> bans, List<Mute> mutes, Map<String, RoomRules> rules, List<String> reserved) {
    }

    /** Writes the action's audit row and what it changes, in one transaction. */
    void record(Action action) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                write(connection, action);
                if (action.kind() != Action.Kind.RESERVE) {
                    update(connection, "INSERT INTO chat_audit (id, at, moderator, action, target, room, reason)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                            action.id(), action.at(), action.by(), action.kind().wire(), action.target(),
                            action.room(), action.reason());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void write(Connection connection, Action action) throws SQLException {
        switch (action.kind()) {
            case DELETE, PURGE -> {
                for (long id : action.ids()) {
                    update(connection, "INSERT INTO chat_tombstone (id, room, deleted_by, deleted_at)"
                            + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", id, action.room(), action.by(),
                            action.at());
                    update(connection, "DELETE FROM chat_message WHERE id = ?", id);
                }
            }
            case MUTE -> update(connection, "INSERT INTO chat_mute (name_key, name, reason, muted_by, since, until_ts)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET name = excluded.name,"
                    + " reason = excluded.reason, muted_by = excluded.muted_by, since = excluded.since,"
                    + " until_ts = excluded.until_ts", primaryKey(action.target()), action.target(), action.reason(),
                    action.by(), action.at(), action.until());
            case UNMUTE -> update(connection, "DELETE FROM chat_mute WHERE name_key = ?", primaryKey(action.target()));
            case BAN -> {
                update(connection, "INSERT INTO chat_ban (id, name, reason, banned_by, since, until_ts)"
                                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", banId(action),
                        action.target(), action.reason(), action.by(), action.at(), action.until());
                addAddresses(connection, banId(action), action.addresses());
            }
            case LIFT -> update(connection, "UPDATE chat_ban SET lifted_at = ? WHERE id = ? AND lifted_at IS NULL",
                    action.at(), action.target());
            case RULES -> update(connection, "INSERT INTO chat_room_rules (room, slow_mode_seconds, guests_may_post)"
                    + " VALUES (?, ?, ?) ON CONFLICT (room) DO UPDATE SET"
                    + " slow_mode_seconds = excluded.slow_mode_seconds, guests_may_post = excluded.guests_may_post",
                    action.room(), (long) action.slowModeSeconds(), action.guestsMayPost() ? 1L : 0L);
            case RESERVE -> update(connection, "INSERT INTO chat_reserved_name (name_key, name, since)"
                    + " VALUES (?, ?, ?) ON CONFLICT (name_key) DO NOTHING", primaryKey(action.target()),
                    action.target(), action.at());
            case KICK -> { } // the audit row is all
            default -> throw new IllegalArgumentException("unknown action " + action.kind());
        }
    }

    /** A ban's id is its action's. */
    static String banId(Action action) {
        return Long.toString(action.id());
    }

    private static void addAddresses(Connection connection, String banId, List<String> addresses)
            throws SQLException {
        for (String address : addresses) {
            update(connection, "INSERT INTO chat_ban_address (ban_id, address) VALUES (?, ?)"
                    + " ON CONFLICT (ban_id, address) DO NOTHING", banId, address);
        }
    }

    /** Bans and mutes that hold at {@code nowMillis}, every room's rules, the reserved names. */
    Holding load(long nowMillis) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, List<String>> addresses = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT ban_id, address FROM chat_ban_address");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    addresses.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(rows.getString(2));
                }
            }
            List<Ban> bans = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, name, reason, banned_by,"
                    + " since, until_ts FROM chat_ban WHERE lifted_at IS NULL AND (until_ts = 0 OR until_ts > ?)")) {
                statement.setLong(1, nowMillis);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        bans.add(new Ban(rows.getString(1), rows.getString(2),
                                addresses.getOrDefault(rows.getString(1), List.of()), rows.getString(4),
                                rows.getString(3), rows.getLong(5), rows.getLong(6)));
                    }
                }
            }
            List<Mute> mutes = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT name, muted_by, reason, since, until_ts FROM chat_mute WHERE until_ts > ?")) {
                statement.setLong(1, nowMillis);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        mutes.add(new Mute(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getLong(4), rows.getLong(5)));
                    }
                }
            }
            Map<String, RoomRules> rules = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT room, slow_mode_seconds, guests_may_post FROM chat_room_rules");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    rules.put(rows.getString(1), new RoomRules(rows.getInt(2), rows.getInt(3) != 0));
                }
            }
            List<String> reserved = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM chat_reserved_name");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reserved.add(rows.getString(1));
                }
            }
            return new Holding(bans, mutes, rules, reserved);
        }
    }

    /** The stored message with this id, or null (never stored, purged by retention, or deleted). */
    Found message(long id) throws SQLException {
        List<Found> found = found("SELECT id, room, sender FROM chat_message WHERE id = ?", id);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Whether the audit has the action (every kind but a reserved name has a row). */
    boolean recorded(long actionId) throws SQLException {
        return !found("SELECT id, action, moderator FROM chat_audit WHERE id = ?", actionId).isEmpty();
    }

    boolean deleted(long id) throws SQLException {
        return !found("SELECT id, room, deleted_by FROM chat_tombstone WHERE id = ?", id).isEmpty();
    }

    /** {@code sender}'s messages since {@code sinceMillis} (in {@code room}; null: every room), oldest first. */
    List<Found> recentBy(String sender, long sinceMillis, String room) throws SQLException {
        long newest;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT MAX(id) FROM chat_message");
             ResultSet rows = statement.executeQuery()) {
            newest = rows.next() ? rows.getLong(1) : 0;
        }
        String sql = "SELECT id, room, sender FROM chat_message WHERE id > ? AND sender = ? AND ts >= ?"
                + (room == null ? "" : " AND room = ?") + " ORDER BY id";
        return room == null ? found(sql, newest - PURGE_REACH, sender, sinceMillis)
                : found(sql, newest - PURGE_REACH, sender, sinceMillis, room);
    }

    /** Audit rows with an id below {@code before} (null: the newest), newest first. */
    List<Action> audit(Long before, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT id, at, moderator, action, target,"
                     + " room, reason FROM chat_audit WHERE id < ? ORDER BY id DESC LIMIT ?")) {
            statement.setLong(1, before == null ? Long.MAX_VALUE : before);
            statement.setInt(2, limit);
            List<Action> entries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(Action.of(rows.getLong(1), rows.getString(3), rows.getLong(2),
                            Action.Kind.ofWire(rows.getString(4)), rows.getString(5), rows.getString(6),
                            rows.getString(7)));
                }
            }
            return entries;
        }
    }

    private List<Found> found(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            List<Found> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Found(rows.getLong(1), rows.getString(2), rows.getString(3)));
                }
            }
            return found;
        }
    }

    private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else if (value instanceof Long number) {
                statement.setLong(i + 1, number);
            } else {
                statement.setString(i + 1, value.toString());
            }
        }
    }

    private static String primaryKey(String name) {
        return NicknameForm.keys(name).get(0);
    }
}
