package chatroom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.testing.ChatClient;
import chatroom.testing.EmbeddedJetty;
import chatroom.testing.ResumingChatter;
import chatroom.testing.Sqlite3;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store backed up while people chat, as the README tells an operator to (sqlite3's {@code VACUUM
 * INTO}: one read transaction, so a consistent copy that never blocks the room's writer), then restored (stop,
 * replace the file, start): every message acknowledged before the backup began is there, under its id.
 *
 * <p>One container only: the backup works on the database file, whichever container the room runs in.
 */
class BackupRestoreIT {
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path storeDir;
    @TempDir
    Path backups;

    @Test
    void aBackupTakenUnderTrafficRestoresEveryMessageAcknowledgedBeforeIt() {
        Sqlite3.assumeInstalled();
        Path database = storeDir.resolve("chatroom.db");
        Path backup = backups.resolve("chatroom-backup.db");
        Map<String, Long> beforeBackup;
        try (EmbeddedJetty server = EmbeddedJetty.start(Map.of("chat.store.dir", storeDir.toString()))) {
            ResumingChatter chatter = ResumingChatter.start(server, "backup-writer", OUTAGE);
            await().atMost(OUTAGE).until(() -> chatter.acknowledged().size() >= 20);
            beforeBackup = chatter.acknowledged();
            Sqlite3.run(database, "VACUUM INTO '" + backup + "'");
            int afterBackup = chatter.acknowledged().size();
            await().atMost(OUTAGE).until(() -> chatter.acknowledged().size() >= afterBackup + 10);
            chatter.close();
        }
        assertEquals("ok", Sqlite3.run(backup, "PRAGMA integrity_check").strip());

        // Restore: with the room stopped, the backup replaces the file and its write-ahead log.
        try {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(storeDir.resolve("chatroom.db" + suffix));
            }
            Files.copy(backup, database);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (EmbeddedJetty server = EmbeddedJetty.start(Map.of("chat.store.dir", storeDir.toString()))) {
            long first = beforeBackup.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            long last = beforeBackup.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            Map<String, Long> restored = new HashMap<>();
            try (ChatClient reader = WebSession.joined(server, "restore-reader", "since=" + (first - 1))) {
                long seen = 0;
                while (seen < last) {
                    JsonObject message = reader.next("message");
                    seen = message.getJsonNumber("id").longValue();
                    restored.put(message.getString("cid", ""), seen);
                }
            }
            List<String> missing = new ArrayList<>();
            beforeBackup.forEach((cid, id) -> {
                if (!id.equals(restored.get(cid))) {
                    missing.add(cid + " (" + id + ") restored as " + restored.get(cid));
                }
            });
            assertEquals(List.of(), missing, "of " + beforeBackup.size() + " messages acknowledged before the backup");
        }
    }
}
