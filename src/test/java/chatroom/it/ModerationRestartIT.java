package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.PostgresServer;
import chatroom.testing.SignIn;
import chatroom.testing.TestAccounts;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A ban, a mute, a room's rules and a delete still hold after a restart on the same store: the embedded file, and
 * the container's PostgreSQL (where the moderation tables' migration runs on an empty database).
 */
class ModerationRestartIT extends ContainerSuite {
    @TempDir
    Path storeDir;
    private PostgresServer postgres;

    @BeforeAll
    void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The store directory of one test (the folder may be shared by the tests of one run). */
    private Map<String, String> params(String store) {
        Map<String, String> params = new HashMap<>(ServerSuite.RELAXED);
        params.put("chat.store.dir", storeDir.resolve(store).toString());
        return params;
    }

    @Test
    void everythingAModeratorDidHoldsAfterARestartOnTheEmbeddedFile() {
        assertRestartKeepsModeration(() -> start(params("file")));
    }

    @Test
    void everythingAModeratorDidHoldsAfterARestartOnPostgres() {
        PGSimpleDataSource database = postgres.createDatabase(
                "moderation_" + container.name().toLowerCase(java.util.Locale.ROOT));
        assertRestartKeepsModeration(() -> container.start(params("unused"), database));
        assertEquals(0, PostgresServer.queryLong(database, "SELECT COUNT(*) FROM chat_message WHERE text LIKE "
                + "'%awful%'"), "the deleted message left PostgreSQL");
        assertFalse(Files.exists(storeDir.resolve("unused").resolve("chatroom.db")), "the embedded file is not used");
    }

    private static WebSession moderator(ChatServer server) {
        return SignIn.as(new WebSession(server), TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
    }

    private static JsonObject act(WebSession moderator, String method, String path, String body, int expected) {
        HttpResponse<String> answer = moderator.json(method, "moderation/" + path, body, null);
        assertEquals(expected, answer.statusCode(), method + " " + path + ": " + answer.body());
        return answer.body().isEmpty() ? null : ChatClient.parse(answer.body());
    }

    /** A ban, a mute, a room's rules and a delete; a stop; a start on the same store: every one still holds. */
    private static void assertRestartKeepsModeration(Supplier<ChatServer> start) {
        String banned = unique("banned");
        String muted = unique("muted");
        String ruled = unique("ruled");
        String room = unique("del");
        long deleted;
        String banId;
        try (ChatServer server = start.get();
             ChatClient alice = WebSession.joined(server, unique("alice"), "room=" + room)) {
            alice.send(ChatClient.envelope("something awful", "c-1"));
            deleted = alice.next("message").getJsonNumber("id").longValue();
            alice.send(ChatClient.envelope("something fine", "c-2"));
            alice.next("message");
            WebSession mod = moderator(server);
            banId = act(mod, "POST", "bans", "{\"user\":\"" + banned + "\",\"reason\":\"spam\"}", 201).getString("id");
            act(mod, "POST", "mutes", "{\"user\":\"" + muted + "\",\"minutes\":60}", 201);
            act(mod, "PUT", "rooms/" + ruled, "{\"slowModeSeconds\":30,\"guestsMayPost\":false}", 200);
            act(mod, "DELETE", "messages/" + deleted + "?room=" + room, null, 204);
        }

        try (ChatServer server = start.get()) {
            assertEquals(403, new WebSession(server).postNickname(banned).statusCode(), "the ban");
            try (ChatClient loud = WebSession.joined(server, muted, null)) {
                loud.send(ChatClient.envelope("let me talk", "c-1"));
                assertEquals("muted", loud.next("error").getString("code"), "the mute");
            }
            WebSession mod = moderator(server);
            JsonObject rules = act(mod, "GET", "rooms/" + ruled, null, 200);
            assertEquals(30, rules.getInt("slowModeSeconds"), "the room's rules: " + rules);
            assertFalse(rules.getBoolean("guestsMayPost"), "the room's rules: " + rules);
            String history = new WebSession(server).get("history?room=" + room).body();
            assertFalse(history.contains("awful"), "the delete: " + history);
            assertTrue(history.contains("something fine"), history);
            try (ChatClient resumed = new WebSession(server).connectChat("room=" + room + "&since=" + (deleted - 1))) {
                resumed.next("welcome");
                assertEquals("something fine", resumed.next("message").getString("text"), "a resume skips it");
            }
            act(mod, "DELETE", "messages/" + deleted + "?room=" + room, null, 204); // the tombstone: twice is fine
            assertTrue(act(mod, "GET", "bans", null, 200).getJsonArray("bans").getValuesAs(JsonObject.class)
                    .stream().anyMatch(ban -> ban.getString("id").equals(banId)), "the ban is listed");
            List<String> audit = act(mod, "GET", "audit?limit=10", null, 200).getJsonArray("entries")
                    .getValuesAs(JsonObject.class).stream().map(entry -> entry.getString("action")).toList();
            assertTrue(audit.containsAll(List.of("ban", "mute", "rules", "delete")), "the audit: " + audit);
        }
    }
}
