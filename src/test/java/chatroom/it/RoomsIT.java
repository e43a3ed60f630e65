package chatroom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rooms (../shared/DESIGN.md, "Rooms"): each room is a conversation of its own in both protocols, with its own
 * history, resume, retries and presence; the default room is the room as it always was; names outside the rule are
 * refused. Each test uses rooms of its own, so tests share one server.
 */
class RoomsIT extends ServerSuite {
    private static final Duration QUIET = Duration.ofMillis(700);

    private static String room(String prefix) {
        return unique(prefix).toLowerCase();
    }

    private ChatClient joined(String name, String room) {
        return WebSession.joined(server, name, "room=" + room);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void aMessageInOneRoomNeverReachesAnotherInEitherProtocol() {
        String kitchen = room("kitchen");
        String garden = room("garden");
        try (ChatClient ana = joined(unique("ana"), kitchen);
             ChatClient bo = joined(unique("bo"), garden);
             ChatClient plainKitchen = ChatClient.connect(server.socketUri("room=" + kitchen), ChatClient.options());
             ChatClient plainGarden = ChatClient.connect(server.socketUri("room=" + garden), ChatClient.options())) {
            // A plain client has no welcome: its own first message, echoed, says it is in the room.
            plainKitchen.send("plain in " + kitchen);
            assertEquals("plain in " + kitchen, plainKitchen.nextFrame());
            assertEquals("plain in " + kitchen, ana.next("message").getString("text"));
            plainGarden.send("plain in " + garden);
            assertEquals("plain in " + garden, plainGarden.nextFrame());
            assertEquals("plain in " + garden, bo.next("message").getString("text"));

            ana.send(ChatClient.envelope("for the kitchen", "c-1"));
            assertEquals("for the kitchen", ana.next("message").getString("text"));
            assertEquals("for the kitchen", plainKitchen.nextFrame());
            bo.send(ChatClient.envelope("for the garden", "c-1"));
            assertEquals("for the garden", bo.next("message").getString("text"));
            assertEquals("for the garden", plainGarden.nextFrame());

            assertNull(plainKitchen.frameWithin(QUIET), "nothing of the garden reaches the kitchen");
            assertNull(plainGarden.frameWithin(QUIET), "nothing of the kitchen reaches the garden");
        }
    }

    @Test
    void theWelcomeNamesTheRoomAndCountsOnlyItsPeople() {
        String attic = room("attic");
        String cellar = room("cellar");
        String ana = unique("ana");
        try (ChatClient first = joined(ana, attic);
             ChatClient second = joined(unique("bo"), cellar)) {
            try (ChatClient again = WebSession.joined(server, unique("cy"), "room=" + attic)) {
                JsonObject arrival = first.next(frame -> "presence".equals(frame.getString("type"))
                        && frame.getJsonArray("joined") != null && !frame.getJsonArray("joined").isEmpty()
                        && frame.getInt("online") == 2);
                assertEquals(2, arrival.getInt("online"), "two people in the attic, none of the cellar");
            }
            try (ChatClient look = new WebSession(server).connectChat("room=" + cellar)) {
                JsonObject welcome = look.next();
                assertEquals(cellar, welcome.getString("room"));
                assertEquals(2, welcome.getInt("online"), "the cellar's own: bo and this guest, none of the attic");
                assertFalse(ChatClient.names(welcome, "users").contains(ana));
            }
        }
    }

    @Test
    void resumeAndRetriesArePerRoom() {
        String north = room("north");
        String south = room("south");
        String name = unique("ana");
        WebSession visitor = new WebSession(server).nickname(name);
        long northFirst;
        long northSecond;
        try (ChatClient inNorth = visitor.connectChat("room=" + north);
             ChatClient inSouth = visitor.connectChat("room=" + south)) {
            inNorth.next("welcome");
            inSouth.next("welcome");
            inNorth.send(ChatClient.envelope("n1", "same-cid"));
            northFirst = inNorth.next("message").getJsonNumber("id").longValue();
            inSouth.send(ChatClient.envelope("s1", "same-cid")); // the same cid in another room is another message
            JsonObject south1 = inSouth.next("message");
            assertEquals("s1", south1.getString("text"));
            assertTrue(south1.getJsonNumber("id").longValue() > northFirst, "one id sequence for all rooms");
            inNorth.send(ChatClient.envelope("n1 again", "same-cid")); // a retry in its own room: the original back
            JsonObject retry = inNorth.next("message");
            assertEquals(northFirst, retry.getJsonNumber("id").longValue());
            assertEquals("n1", retry.getString("text"));
            inNorth.send(ChatClient.envelope("n2", "c-2"));
            northSecond = inNorth.next("message").getJsonNumber("id").longValue();
        }
        try (ChatClient resumed = visitor.connectChat("room=" + north + "&since=" + northFirst)) {
            assertEquals(north, resumed.next("welcome").getString("room"));
            JsonObject replayed = resumed.next();
            assertEquals("message", replayed.getString("type"), "no reset: nothing of the room was missed");
            assertEquals(northSecond, replayed.getJsonNumber("id").longValue());
            assertEquals(List.of(), messagesWithin(resumed, QUIET), "nothing of the south, nothing twice");
        }
    }

    /** Every frame line but presence (this visitor's own tabs come and go) that arrives within {@code quiet}. */
    private static List<String> messagesWithin(ChatClient client, Duration quiet) {
        List<String> lines = new ArrayList<>();
        long until = System.nanoTime() + quiet.toNanos();
        for (String frame; (frame = client.frameWithin(Duration.ofNanos(Math.max(1, until - System.nanoTime()))))
                != null; ) {
            ChatClient.lines(frame).stream()
                    .filter(line -> !"presence".equals(ChatClient.parse(line).getString("type"))).forEach(lines::add);
        }
        return lines;
    }

    @Test
    void theDefaultRoomIsTheRoomWithoutARoom() {
        String name = unique("ana");
        try (ChatClient named = WebSession.joined(server, name, "room=General");
             ChatClient plain = ChatClient.plain(server)) {
            plain.send("hello from no room");
            assertEquals("hello from no room", plain.nextFrame());
            assertEquals("hello from no room", named.next("message").getString("text"),
                    "?room=general (any case) and no room are one room");
        }
        assertEquals(200, new WebSession(server).getPage().statusCode());
        assertEquals(200, new WebSession(server).get("r/general").statusCode());
    }

    @Test
    void eachRoomHasItsOwnPageAndScrollback() {
        String studio = room("studio");
        try (ChatClient ana = joined(unique("ana"), studio)) {
            ana.send(ChatClient.envelope("made in the studio", "c-1"));
            ana.next("message");
        }
        WebSession visitor = new WebSession(server);
        HttpResponse<String> page = visitor.get("r/" + studio.toUpperCase());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("data-room=\"" + studio + "\""), "the page is the room's, lower-cased");
        assertTrue(page.body().contains("made in the studio"), "with the room's history embedded");
        assertTrue(page.body().contains("<title>#" + studio + " · Chatroom</title>"), "the tab says which room");
        assertFalse(visitor.getPage().body().contains("made in the studio"), "the default room's page has none of it");

        JsonArray history = Json.createReader(new StringReader(visitor.get("history?room=" + studio).body()))
                .readArray();
        assertEquals(1, history.size());
        assertEquals("made in the studio", history.getJsonObject(0).getString("text"));
        JsonArray general = Json.createReader(new StringReader(visitor.get("history").body())).readArray();
        assertTrue(general.stream().noneMatch(m -> m.asJsonObject().getString("text").equals("made in the studio")));
    }

    @Test
    void theRoomsListCountsPeopleRoomByRoom() {
        String busy = room("busy");
        String quiet = room("quiet");
        try (ChatClient a = joined(unique("ana"), busy);
             ChatClient b = joined(unique("bo"), busy);
             ChatClient c = joined(unique("cy"), quiet)) {
            JsonObject answer = json(new WebSession(server).get("rooms").body());
            Map<String, Integer> online = new java.util.HashMap<>();
            answer.getJsonArray("rooms").forEach(r -> online.put(r.asJsonObject().getString("name"),
                    r.asJsonObject().getInt("online")));
            assertEquals(2, online.get(busy));
            assertEquals(1, online.get(quiet));
            assertEquals("general", answer.getString("default"));
            List<String> order = answer.getJsonArray("rooms").stream()
                    .map(r -> r.asJsonObject().getString("name")).toList();
            assertTrue(order.indexOf(busy) < order.indexOf(quiet), "busiest first: " + order);
        }
    }

    @Test
    void aNameOutsideTheRuleIsRefusedClearly() {
        WebSession visitor = new WebSession(server);
        HttpResponse<String> page = visitor.get("r/no%20spaces");
        assertEquals(400, page.statusCode());
        assertEquals("bad_request", json(page.body()).getString("error"));
        assertEquals(400, visitor.get("r/" + "x".repeat(33)).statusCode(), "33 characters are too many");
        assertEquals(400, visitor.get("r/caf%C3%A9").statusCode(), "ASCII only: no look-alike rooms");
        assertEquals(400, visitor.get("history?room=%E2%84%AAitchen").statusCode(), "the Kelvin sign is not a k");

        try (ChatClient v1 = new WebSession(server).connectChat("room=a.b")) {
            JsonObject error = v1.next();
            assertEquals("error", error.getString("type"));
            assertEquals("bad_request", error.getString("code"));
            assertEquals(1008, v1.awaitClose().code());
        }
        try (ChatClient plain = ChatClient.connect(server.socketUri("room=%21"), ChatClient.options())) {
            ChatClient.Closed closed = plain.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("no such room", closed.reason());
        }
    }

    @Test
    void eachRoomsHistoryAndIdsComeBackAfterARestart(@TempDir Path store) {
        Map<String, String> params = new HashMap<>(RELAXED);
        params.put("chat.store.dir", store.toString());
        String upstairs = room("upstairs");
        String downstairs = room("downstairs");
        long upFirst;
        long upLast;
        long downLast;
        try (ChatServer first = start(params)) {
            try (ChatClient up = WebSession.joined(first, unique("ana"), "room=" + upstairs);
                 ChatClient down = WebSession.joined(first, unique("bo"), "room=" + downstairs)) {
                up.send(ChatClient.envelope("up 1", "u-1"));
                upFirst = up.next("message").getJsonNumber("id").longValue();
                down.send(ChatClient.envelope("down 1", "d-1"));
                downLast = down.next("message").getJsonNumber("id").longValue();
                up.send(ChatClient.envelope("up 2", "u-2"));
                upLast = up.next("message").getJsonNumber("id").longValue();
            }
        }
        try (ChatServer second = start(params)) {
            try (ChatClient up = new WebSession(second).nickname(unique("cy"))
                    .connectChat("room=" + upstairs + "&since=" + upFirst)) {
                assertEquals(upLast, up.next("welcome").getJsonNumber("lastId").longValue(),
                        "the room's newest id is back");
                JsonObject replayed = up.next();
                assertEquals("up 2", replayed.getString("text"), "exactly what was missed, no reset");
                up.send(ChatClient.envelope("up 3", "u-3"));
                assertTrue(up.next("message").getJsonNumber("id").longValue() > Math.max(upLast, downLast),
                        "ids continue after every room's");
            }
            HttpResponse<String> page = new WebSession(second).get("r/" + downstairs);
            assertTrue(page.body().contains("down 1"), "the other room's page shows its history");
            assertFalse(page.body().contains("up 2"), "and only its own");
        }
    }

    @Test
    void anEmptyRoomLeavesMemoryAndComesBackFromTheStore() {
        try (ChatServer forgetful = start(Map.of("chat.rooms.idleMillis", "1"))) {
            String porch = room("porch");
            long id;
            try (ChatClient ana = WebSession.joined(forgetful, unique("ana"), "room=" + porch)) {
                ana.send(ChatClient.envelope("said on the porch", "c-1"));
                id = ana.next("message").getJsonNumber("id").longValue();
            }
            // Housekeeping runs every second: the empty room leaves memory (the default room stays).
            await().atMost(Duration.ofSeconds(15)).until(() -> json(new WebSession(forgetful).get("health").body())
                    .getInt("rooms") == 1);
            try (ChatClient back = new WebSession(forgetful).nickname(unique("bo"))
                    .connectChat("room=" + porch + "&since=0")) {
                assertEquals(id, back.next("welcome").getJsonNumber("lastId").longValue());
                back.next("reset"); // since=0 is older than anything: reset, then the room's history from the store
                assertEquals("said on the porch", back.next("message").getString("text"));
            }
        }
    }

    @Test
    void pastTheRoomCapAnEmptyRoomMakesWayAndABusyOneDoesNot() {
        try (ChatServer small = start(Map.of("chat.rooms.max", "2"))) { // the default room and one more
            String busy = room("busy");
            try (ChatClient stays = WebSession.joined(small, unique("ana"), "room=" + busy);
                 ChatClient refused = new WebSession(small).connectChat("room=" + room("more"))) {
                JsonObject error = refused.next();
                assertEquals("unavailable", error.getString("code"), "every room in memory has people in it");
                assertEquals(1013, refused.awaitClose().code());
                assertEquals(503, new WebSession(small).get("r/" + room("page")).statusCode());
            }
            String next = room("next");
            try (ChatClient admitted = WebSession.joined(small, unique("bo"), "room=" + next)) { // welcomed: in
                assertEquals(2, json(new WebSession(small).get("health").body()).getInt("rooms"),
                        "the room its last member left made way for this one");
            }
        }
    }

    @Test
    void aClosedDeploymentHasOnlyItsListedRooms() {
        try (ChatServer closed = start(Map.of("chat.rooms.open", "false", "chat.rooms", "help,Lobby"))) {
            WebSession visitor = new WebSession(closed);
            assertEquals(200, visitor.get("r/help").statusCode());
            assertEquals(200, visitor.get("r/lobby").statusCode());
            assertEquals(404, visitor.get("r/elsewhere").statusCode());
            try (ChatClient refused = new WebSession(closed).connectChat("room=elsewhere")) {
                assertEquals("bad_request", refused.next().getString("code"));
                assertEquals(1008, refused.awaitClose().code());
            }
            try (ChatClient lobby = new WebSession(closed).connectChat("room=lobby")) {
                assertEquals("lobby", lobby.next("welcome").getString("room"));
            }
        }
    }
}
