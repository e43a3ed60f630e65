package chatroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Databases made by an earlier release, kept as they were in src/test/resources/fixtures/: every migration added
 * since must open them and keep every message as it was. They were written by that release's own code
 * (MessageStore.open, then insert), at schema version 2, on SQLite (the file, in journal mode DELETE with 1 KiB
 * pages to keep it small) and on PostgreSQL 15 (a plain pg_dump). Never regenerate them with newer code: add a
 * fixture per release instead.
 */
final class PreviousRelease {
    static final Path SQLITE_V2 = Path.of("src/test/resources/fixtures/sqlite-schema-v2.db");
    static final Path POSTGRES_V2 = Path.of("src/test/resources/fixtures/postgres-schema-v2.sql");

    /** Messages stored before rooms existed belong to the default room once migrated. */
    private static final String ROOM = MessageStore.DEFAULT_ROOM;

    /**
     * What both fixtures hold, as today's code reads them: odd characters, no client id, the longest text, the longest
     * client id, an id gap.
     */
    static final List<StoredMessage> MESSAGES = List.of(
            new StoredMessage(ROOM, 1764201600000001L, "alice", "hello", 1764201600000L, "c-1"),
            new StoredMessage(ROOM, 1764201600000002L, "bob", "na\u00efve caf\u00e9 \u2014 \u2713 \ud83c\udf89",
            1764201601000L, null),
            new StoredMessage(ROOM, 1764201600000003L, "\u0410\u043b\u0438\u0441\u0430", "line one\nline two\ttab",
            1764201602000L, "c-2"),
            new StoredMessage(ROOM, 1764201600000004L, "alice", "<script>alert('x')</script> & \"quotes\"",
            1764201603000L, "c-3"),
            new StoredMessage(ROOM, 1764201600000005L, "guest-7", "x".repeat(2000), 1764201604000L, "k".repeat(64)),
            new StoredMessage(ROOM, 1764201600000007L, "bob", "after a gap", 1764201606000L, "c-4"));

    private PreviousRelease() {
    }

    /** The store, opened (so migrated) by today's code, holds every message of the fixture and works on. */
    static void assertKeptAndWritable(MessageStore store) throws SQLException {
        assertEquals(MESSAGES, store.after(0, 100), "every message with its id, sender, text, time and client id");
        assertEquals(MESSAGES.get(MESSAGES.size() - 1).id(), store.newestId());
        assertEquals(Set.copyOf(MESSAGES), Set.copyOf(store.before(ROOM, Long.MAX_VALUE, 100)),
                "all of them in the default room's scrollback");
        StoredMessage next = new StoredMessage(ROOM, store.newestId() + 1, "carol", "after the upgrade",
                1764201700000L, "c-9");
        store.insert(List.of(next));
        assertEquals(next, store.after(MESSAGES.get(MESSAGES.size() - 1).id(), 10).get(0));
    }
}
