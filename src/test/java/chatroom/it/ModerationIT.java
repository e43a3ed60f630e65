package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.testing.ChatClient;
import chatroom.testing.SignIn;
import chatroom.testing.TestAccounts;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The moderation API on each container, with the container's own realm signing the moderator in through the form:
 * who may use it, and what each action does to the people in the room, their sockets and the history.
 */
class ModerationIT extends ServerSuite {
    /** A deleted message leaves every open page within this. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    private WebSession moderator() {
        return SignIn.as(new WebSession(server), TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
    }

    private static JsonObject json(HttpResponse<String> response) {
        return ChatClient.parse(response.body());
    }

    @Test
    void onlyASignedInModeratorOfThisOriginGetsIn() {
        HttpResponse<String> signedOut = new WebSession(server).json("GET", "moderation/bans", null, null);
        assertEquals(401, signedOut.statusCode());
        assertEquals("signed_out", json(signedOut).getString("error"));
        WebSession ann = SignIn.as(new WebSession(server), TestAccounts.ANN, TestAccounts.ANN_PASSWORD);
        assertEquals(403, ann.json("GET", "moderation/bans", null, null).statusCode(), "signed in, no role");
        WebSession mod = moderator();
        assertEquals(200, mod.json("GET", "moderation/bans", null, null).statusCode());
        HttpResponse<String> foreign = mod.json("POST", "moderation/kick", "{\"user\":\"x\"}", "http://evil.example");
        assertEquals(403, foreign.statusCode(), "another origin, the moderator's cookie or not");
        assertEquals(400, mod.json("POST", "moderation/kick", "{not json", null).statusCode());
        assertEquals(400, mod.json("POST", "moderation/mutes", "{\"user\":\"x\",\"minutes\":-1}", null).statusCode());
        assertEquals(404, mod.json("GET", "moderation/nothing", null, null).statusCode());
    }

    @Test
    void aDeletedMessageLeavesEveryPageHistoryAndResumeAtOnce() {
        String room = "del-" + container.name().toLowerCase();
        try (ChatClient alice = WebSession.joined(server, "alice-" + room, "room=" + room);
             ChatClient watcher = WebSession.joined(server, "watch-" + room, "room=" + room)) {
            alice.send(ChatClient.envelope("something awful", "c-1"));
            long id = watcher.next("message").getJsonNumber("id").longValue();
            alice.send(ChatClient.envelope("something fine", "c-2"));
            watcher.next("message");
            WebSession mod = moderator();

            HttpResponse<String> deleted = mod.json("DELETE", "moderation/messages/" + id + "?room=" + room, null,
                    null);

            assertEquals(204, deleted.statusCode(), deleted.body());
            long start = System.nanoTime();
            JsonObject gone = watcher.next("deleted");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(AT_ONCE) < 0);
            assertEquals(id, gone.getJsonNumber("id").longValue());
            assertFalse(new WebSession(server).get("history?room=" + room).body().contains("awful"));
            assertFalse(new WebSession(server).get("r/" + room).body().contains("awful"), "embedded history");
            try (ChatClient resumed = new WebSession(server).connectChat("room=" + room + "&since=" + (id - 1))) {
                resumed.next("welcome");
                JsonObject first = resumed.next("message");
                assertEquals("something fine", first.getString("text"), "the resume skips it");
            }
            assertEquals(204, mod.json("DELETE", "moderation/messages/" + id + "?room=" + room, null, null)
                    .statusCode(), "twice is fine");
            assertEquals(404, mod.json("DELETE", "moderation/messages/999999999?room=" + room, null, null)
                    .statusCode());
            JsonObject audit = json(mod.json("GET", "moderation/audit?limit=1", null, null));
            assertEquals("delete", audit.getJsonArray("entries").getJsonObject(0).getString("action"));
        }
    }

    @Test
    void aBannedGuestIsToldClosedWith4003AndRefusedAtTheHandshakeWhileTheModeratorThereIsNot() {
        WebSession mod = moderator();
        try {
            banAGuestFromLoopback(mod);
        } finally { // every client here is on loopback: lift whatever this left, so the next test may connect
            JsonObject bans = json(mod.json("GET", "moderation/bans", null, null));
            for (JsonObject ban : bans.getJsonArray("bans").getValuesAs(JsonObject.class)) {
                mod.json("DELETE", "moderation/bans/" + ban.getString("id"), null, null);
            }
        }
    }

    private void banAGuestFromLoopback(WebSession mod) {
        try (ChatClient guest = new WebSession(server).connectChat(null)) {
            String name = guest.next("welcome").getString("you");

            HttpResponse<String> ban = mod.json("POST", "moderation/bans",
                    "{\"user\":\"" + name + "\",\"minutes\":5,\"reason\":\"spam\"}", null);

            assertEquals(201, ban.statusCode(), ban.body());
            JsonObject banned = guest.next("banned");
            assertEquals("spam", banned.getString("reason"));
            assertEquals(4003, guest.awaitClose().code());
            ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class,
                    () -> new WebSession(server).connectChat(null));
            assertEquals(403, refused.status(), "the address (loopback here) is banned");
            assertEquals(403, new WebSession(server).postNickname("someone-new").statusCode());
            try (ChatClient moderatorSocket = mod.connectChat(null)) {
                JsonObject welcome = moderatorSocket.next("welcome");
                assertTrue(welcome.getBoolean("moderator"), "a moderator is never held by an address ban");
            }
            String id = json(ban).getString("id");
            assertEquals(id, json(mod.json("GET", "moderation/bans", null, null)).getJsonArray("bans")
                    .getJsonObject(0).getString("id"));
            assertEquals(204, mod.json("DELETE", "moderation/bans/" + id, null, null).statusCode());
            try (ChatClient back = new WebSession(server).connectChat(null)) {
                back.next("welcome");
            }
        }
    }

    @Test
    void aBanOfANameNobodyHoldsKeepsItAndItsLookAlikesFromBeingClaimed() {
        WebSession mod = moderator();
        String name = "troll-" + container.name().toLowerCase();
        HttpResponse<String> ban = mod.json("POST", "moderation/bans", "{\"user\":\"" + name + "\"}", null);
        assertEquals(201, ban.statusCode(), ban.body());
        assertEquals(403, new WebSession(server).postNickname(name).statusCode());
        assertEquals(403, new WebSession(server).postNickname(name.replace('o', '\u043E')).statusCode(),
                "a look-alike");
        assertEquals(204, mod.json("DELETE", "moderation/bans/" + json(ban).getString("id"), null, null)
                .statusCode());
        assertEquals(200, new WebSession(server).postNickname(name).statusCode());
    }

    @Test
    void aMutedPersonReadsButCannotPostAKickedOneIsClosedWith4001() {
        String room = "mute-" + container.name().toLowerCase();
        String name = "loud-" + room;
        WebSession mod = moderator();
        try (ChatClient loud = WebSession.joined(server, name, "room=" + room)) {
            HttpResponse<String> mute = mod.json("POST", "moderation/mutes",
                    "{\"user\":\"" + name + "\",\"minutes\":10,\"reason\":\"caps\"}", null);
            assertEquals(201, mute.statusCode(), mute.body());
            long until = loud.next("muted").getJsonNumber("until").longValue();
            loud.send(ChatClient.envelope("STILL HERE", "c-1"));
            JsonObject error = loud.next("error");
            assertEquals("muted", error.getString("code"));
            assertEquals(until, error.getJsonNumber("until").longValue());
            assertEquals(name, json(mod.json("GET", "moderation/mutes", null, null)).getJsonArray("mutes")
                    .getJsonObject(0).getString("user"));
            assertEquals(204, mod.json("DELETE", "moderation/mutes/" + name, null, null).statusCode());
            loud.next("unmuted");

            assertEquals(204, mod.json("POST", "moderation/kick", "{\"user\":\"" + name + "\",\"reason\":\"out\"}",
                    null).statusCode());
            assertEquals("out", loud.next("kicked").getString("reason"));
            assertEquals(4001, loud.awaitClose().code());
            assertEquals(404, mod.json("POST", "moderation/kick", "{\"user\":\"" + name + "\"}", null).statusCode(),
                    "not online any more");
        }
    }

    @Test
    void aSignedInAuthorsMessagesSaySoLiveAndInHistory() {
        String room = "badge-" + container.name().toLowerCase();
        try (ChatClient mod = moderator().connectChat("room=" + room);
             ChatClient guest = WebSession.joined(server, "nick-of-" + room, "room=" + room)) {
            assertTrue(mod.next("welcome").getBoolean("signedIn"));
            mod.send(ChatClient.envelope("from an account", "c-1"));
            assertTrue(guest.next("message").getBoolean("signedIn"));
            guest.send(ChatClient.envelope("from a nickname", "c-2"));
            assertFalse(guest.next("message").containsKey("signedIn"));
            String history = new WebSession(server).get("history?room=" + room).body();
            assertTrue(history.contains("\"signedIn\":true"), history);
        }
    }

    @Test
    void slowModeAndPurgeWorkPerRoom() {
        String room = "slow-" + container.name().toLowerCase();
        String name = "fast-" + room;
        WebSession mod = moderator();
        try (ChatClient fast = WebSession.joined(server, name, "room=" + room)) {
            HttpResponse<String> rules = mod.json("PUT", "moderation/rooms/" + room, "{\"slowModeSeconds\":30}", null);
            assertEquals(200, rules.statusCode(), rules.body());
            assertEquals(30, fast.next("rules").getInt("slowModeSeconds"));
            fast.send(ChatClient.envelope("one", "c-1"));
            fast.next("message");
            fast.send(ChatClient.envelope("two", "c-2"));
            assertEquals("slow_mode", fast.next("error").getString("code"));

            HttpResponse<String> purge = mod.json("POST", "moderation/purge",
                    "{\"user\":\"" + name + "\",\"minutes\":10,\"room\":\"" + room + "\"}", null);
            assertEquals(200, purge.statusCode(), purge.body());
            assertEquals(1, json(purge).getInt("deleted"));
            fast.next("deleted");
            assertEquals(200, mod.json("PUT", "moderation/rooms/" + room, "{\"slowModeSeconds\":0}", null)
                    .statusCode());
        }
    }
}
