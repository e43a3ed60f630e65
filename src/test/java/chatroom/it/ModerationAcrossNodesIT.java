package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.Container;
import chatroom.testing.SignIn;
import chatroom.testing.TestAccounts;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * What a moderator does on node A holds on node B within a second, through Redis: a ban closes the person's
 * sockets there and keeps the name, a delete leaves B's pages, history and resumes, a mute refuses B's posts; and a
 * node B that was down when a ban was made enforces it as soon as it is back. Once per container as node B (node A
 * is the other one), so each container both acts and enforces.
 */
class ModerationAcrossNodesIT extends ContainerSuite {
    /** Every node enforces a moderator's action within this. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    private TwoNodes nodes;

    @BeforeParameterizedClassInvocation
    void startNodes(Container container) {
        nodes = TwoNodes.start(container == Container.JETTY ? Container.TOMCAT : Container.JETTY, container, Map.of());
    }

    @AfterParameterizedClassInvocation
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private WebSession moderatorOnA() {
        return SignIn.as(new WebSession(nodes.a()), TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
    }

    private static HttpResponse<String> act(WebSession moderator, String method, String path, String body,
                                            int expected) {
        HttpResponse<String> answer = moderator.json(method, "moderation/" + path, body, null);
        assertEquals(expected, answer.statusCode(), method + " " + path + ": " + answer.body());
        return answer;
    }

    private static void assertSoon(long sinceNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - sinceNanos);
        assertTrue(took.compareTo(AT_ONCE) < 0, what + " took " + took);
    }

    /** Waits (bounded) until {@code visitor} may claim {@code name} again: the ban was lifted there too. */
    private static void awaitClaim(WebSession visitor, String name) {
        await(name + " free again").atMost(AT_ONCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> visitor.postNickname(name).statusCode() == 200);
    }

    @Test
    void aBanOnNodeAClosesTheSocketOnNodeBAndKeepsTheNameThere() {
        String name = unique("troll");
        WebSession troll = new WebSession(nodes.b()).nickname(name);
        try (ChatClient socket = troll.connectChat(null)) {
            socket.next("welcome");
            WebSession mod = moderatorOnA();

            long start = System.nanoTime();
            String id = ChatClient.parse(act(mod, "POST", "bans",
                    "{\"user\":\"" + name + "\",\"reason\":\"spam\"}", 201).body()).getString("id");

            assertEquals("spam", socket.next("banned").getString("reason"));
            assertEquals(4003, socket.awaitClose().code());
            assertSoon(start, "the close on node B");
            assertEquals(403, new WebSession(nodes.b()).postNickname(name).statusCode(), "the name");
            assertEquals(403, new WebSession(nodes.b()).postNickname(name.toUpperCase()).statusCode(),
                    "a look-alike");
            try (ChatClient again = troll.connectChat(null)) {
                again.next("banned");
                assertEquals(4003, again.awaitClose().code(), "the session's next socket on node B");
            }
            act(mod, "DELETE", "bans/" + id, null, 204);
            awaitClaim(troll, name);
        }
    }

    @Test
    void aDeleteOnNodeALeavesNodeBsPagesHistoryAndResumes() {
        String room = unique("del");
        try (ChatClient alice = WebSession.joined(nodes.b(), unique("alice"), "room=" + room);
             ChatClient watcher = WebSession.joined(nodes.b(), unique("watch"), "room=" + room)) {
            alice.send(ChatClient.envelope("something awful", "c-1"));
            long id = watcher.next("message").getJsonNumber("id").longValue();
            alice.send(ChatClient.envelope("something fine", "c-2"));
            watcher.next("message");

            WebSession mod = moderatorOnA();
            long start = System.nanoTime();
            act(mod, "DELETE", "messages/" + id + "?room=" + room, null, 204);

            assertEquals(id, watcher.next("deleted").getJsonNumber("id").longValue());
            assertSoon(start, "the deleted line on node B");
            assertFalse(new WebSession(nodes.b()).get("history?room=" + room).body().contains("awful"),
                    "node B's /history");
            assertFalse(new WebSession(nodes.b()).get("r/" + room).body().contains("awful"),
                    "node B's page's embedded history");
            try (ChatClient resumed = new WebSession(nodes.b()).connectChat("room=" + room + "&since=" + (id - 1))) {
                resumed.next("welcome");
                assertEquals("something fine", resumed.next("message").getString("text"), "a resume on node B");
            }
        }
    }

    @Test
    void aMuteOnNodeARefusesPostsOnNodeB() {
        String name = unique("loud");
        try (ChatClient loud = WebSession.joined(nodes.b(), name, null)) {
            WebSession mod = moderatorOnA();

            long start = System.nanoTime();
            act(mod, "POST", "mutes", "{\"user\":\"" + name + "\",\"minutes\":10,\"reason\":\"caps\"}", 201);

            long until = loud.next("muted").getJsonNumber("until").longValue();
            assertSoon(start, "the mute on node B");
            loud.send(ChatClient.envelope("STILL HERE", "c-1"));
            JsonObject refused = loud.next("error");
            assertEquals("muted", refused.getString("code"));
            assertEquals(until, refused.getJsonNumber("until").longValue());
            act(mod, "DELETE", "mutes/" + name, null, 204);
            loud.next("unmuted");
            loud.send(ChatClient.envelope("quiet now", "c-2"));
            assertEquals("quiet now", loud.next("message").getString("text"));
        }
    }

    @Test
    void aNodeThatWasDownWhenABanWasMadeEnforcesItAsItStarts() {
        String name = unique("absent");
        WebSession mod = moderatorOnA();
        nodes.stopB();
        String id;
        try {
            id = ChatClient.parse(act(mod, "POST", "bans", "{\"user\":\"" + name + "\"}", 201).body())
                    .getString("id");
        } finally {
            nodes.startB();
        }
        // No wait: a node takes requests only once it has caught up.
        assertEquals(403, new WebSession(nodes.b()).postNickname(name).statusCode(), "banned on the node back");
        JsonObject listed = ChatClient.parse(SignIn.as(new WebSession(nodes.b()), TestAccounts.MOD,
                TestAccounts.MOD_PASSWORD).json("GET", "moderation/bans", null, null).body());
        assertTrue(listed.getJsonArray("bans").getValuesAs(JsonObject.class).stream()
                .anyMatch(ban -> ban.getString("id").equals(id)), "node B lists the ban: " + listed);
        act(mod, "DELETE", "bans/" + id, null, 204);
        awaitClaim(new WebSession(nodes.b()), name);
    }
}
