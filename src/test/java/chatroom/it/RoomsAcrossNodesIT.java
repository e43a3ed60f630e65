package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rooms on two nodes through Redis (node A embedded Jetty, node B embedded Tomcat, so both containers take part):
 * one order per room on both nodes, nothing of one room in another, resume in a room on the other node, and the
 * rooms list counting the people of every node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomsAcrossNodesIT {
    private TwoNodes nodes;
    private ChatServer nodeA;
    private ChatServer nodeB;

    @BeforeAll
    void start() {
        // Presence refreshes every second: it crosses quickly.
        nodes = TwoNodes.jettyAndTomcat(Map.of("chat.redis.presenceTtlMillis", "3000"));
        nodeA = nodes.a();
        nodeB = nodes.b();
    }

    @AfterAll
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static ChatClient joined(ChatServer node, String room) {
        return WebSession.joined(node, unique("u"), "room=" + room);
    }

    private static long id(JsonObject message) {
        return message.getJsonNumber("id").longValue();
    }

    @Test
    void eachRoomHasOneOrderOnBothNodesAndKeepsToItself() {
        String red = unique("red").toLowerCase();
        String blue = unique("blue").toLowerCase();
        try (ChatClient redOnA = joined(nodeA, red);
             ChatClient redOnB = joined(nodeB, red);
             ChatClient blueOnA = joined(nodeA, blue);
             ChatClient blueOnB = joined(nodeB, blue)) {
            int each = 20;
            for (int i = 0; i < each; i++) {
                redOnA.send(ChatClient.envelope("red-a-" + i, "a-" + i));
                redOnB.send(ChatClient.envelope("red-b-" + i, "b-" + i));
                blueOnB.send(ChatClient.envelope("blue-b-" + i, "b-" + i));
            }
            List<Long> redSeenOnA = new ArrayList<>();
            List<Long> redSeenOnB = new ArrayList<>();
            for (int i = 0; i < 2 * each; i++) {
                JsonObject a = redOnA.next("message");
                JsonObject b = redOnB.next("message");
                assertTrue(a.getString("text").startsWith("red-"), "only red in red: " + a);
                redSeenOnA.add(id(a));
                redSeenOnB.add(id(b));
            }
            assertEquals(redSeenOnA, redSeenOnB, "one order for the room on both nodes");
            assertEquals(redSeenOnA.stream().sorted().toList(), redSeenOnA, "in id order");
            for (int i = 0; i < each; i++) {
                assertEquals("blue-b-" + i, blueOnA.next("message").getString("text"),
                        "blue on the other node, in order");
            }
            String frame;
            for (int quiet = 0; quiet < 10 && (frame = blueOnA.frameWithin(Duration.ofMillis(500))) != null; quiet++) {
                assertFalse(frame.contains("\"type\":\"message\""), "nothing of red reaches blue: " + frame);
            }
        }
    }

    @Test
    void aPageResumesItsRoomOnTheOtherNode() {
        String room = unique("hall").toLowerCase();
        long last;
        WebSession visitor = new WebSession(nodeA).nickname(unique("ana"));
        try (ChatClient onA = visitor.connectChat("room=" + room)) {
            onA.next("welcome");
            onA.send(ChatClient.envelope("before the move", "c-1"));
            last = id(onA.next("message"));
        }
        String missed;
        try (ChatClient other = joined(nodeB, room)) {
            other.send(ChatClient.envelope("while away", "c-1"));
            missed = other.next("message").getString("text");
        }
        WebSession moved = new WebSession(nodeB).nickname(unique("ana-again"));
        try (ChatClient onB = moved.connectChat("room=" + room + "&since=" + last)) {
            assertEquals(room, onB.next("welcome").getString("room"));
            JsonObject replayed = onB.next();
            assertEquals("message", replayed.getString("type"), "no reset: the room's history is on node B too");
            assertEquals(missed, replayed.getString("text"));
        }
    }

    @Test
    void theRoomsListCountsThePeopleOfEveryNode() {
        String room = unique("porch").toLowerCase();
        try (ChatClient onA = joined(nodeA, room); ChatClient onB = joined(nodeB, room)) {
            for (ChatServer node : List.of(nodeA, nodeB)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> online(node, room) == 2);
            }
        }
        String elsewhere = unique("shed").toLowerCase();
        try (ChatClient onlyOnB = joined(nodeB, elsewhere)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> online(nodeA, elsewhere) == 1);
        }
    }

    /** The room's count in the node's {@code GET /rooms}, 0 when not listed. */
    private static int online(ChatServer node, String room) {
        JsonObject answer = Json.createReader(new StringReader(new WebSession(node).get("rooms").body())).readObject();
        return answer.getJsonArray("rooms").stream().map(r -> r.asJsonObject())
                .filter(r -> r.getString("name").equals(room)).mapToInt(r -> r.getInt("online")).findFirst().orElse(0);
    }
}
