package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.BackgroundTasks;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The chat contract of ../shared/DESIGN.md, run against the real webapp in each container (one subclass each).
 * Each test uses fresh nicknames, so tests share one server without seeing each other's users.
 */
class ChatIT extends ServerSuite {
    /** A visitor with a nickname and an open chat.v1 socket whose welcome has arrived. */
    ChatClient join(String name) {
        return WebSession.joined(server, name, null);
    }

    ChatClient plain() {
        return ChatClient.plain(server);
    }

    @Test
    void pageRendersWithElEvaluatedAndTheNicknameEscaped() {
        WebSession visitor = new WebSession(server);
        HttpResponse<String> page = visitor.getPage();
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertFalse(page.body().contains("${"), "EL evaluated");
        assertTrue(page.body().contains("static/chat.js"), "page loads its script");

        String hostile = "<b>x" + UUID.randomUUID().toString().substring(0, 6);
        visitor.nickname(hostile);
        String body = visitor.getPage().body();
        assertFalse(body.contains(hostile), "user text never reaches the page unescaped");
        assertTrue(body.contains("&lt;b&gt;x"), "the name is shown, escaped");
    }

    @Test
    void nicknamePostAcceptsAValidName() {
        String name = unique("ana");
        HttpResponse<String> response = new WebSession(server).postNickname(name);
        assertEquals(200, response.statusCode());
        assertEquals("{\"user\":\"" + name + "\"}", response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void nicknamePostRefusesEmptyTooLongAndControlCharacters() {
        WebSession visitor = new WebSession(server);
        for (String bad : List.of("", "   ", "x".repeat(33), "bad\u0007bell", "new\nline")) {
            HttpResponse<String> response = visitor.postNickname(bad);
            assertEquals(400, response.statusCode(), "refused: " + bad.replace("\n", "\\n"));
            assertTrue(response.body().contains("\"error\":\"invalid_nickname\""), response.body());
        }
        assertEquals(200, visitor.postNickname("y".repeat(32)).statusCode(), "32 characters is fine");
    }

    @Test
    void nicknameHeldByAnotherSessionIsRefusedWithConflict() {
        String name = unique("bo");
        assertEquals(200, new WebSession(server).postNickname(name).statusCode());
        HttpResponse<String> second = new WebSession(server).postNickname(name.toUpperCase());
        assertEquals(409, second.statusCode());
        assertTrue(second.body().contains("\"error\":\"nickname_taken\""), second.body());
    }

    @Test
    void formPostWithoutScriptIsRedirectedToThePage() {
        HttpResponse<String> response = new WebSession(server).postNickname(unique("form"), null,
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assertEquals(303, response.statusCode());
        assertEquals(server.pageUri().getPath(), response.headers().firstValue("Location")
                .map(l -> l.replaceAll("^https?://[^/]+", "")).orElse(""));
    }

    /**
     * A plain client known to be a member: its own echo proves it. (The handshake completes before the container
     * runs the endpoint's open, so a client that has only connected may miss a broadcast sent at once.)
     */
    ChatClient registeredPlain() {
        ChatClient client = plain();
        String ready = "ready " + UUID.randomUUID();
        client.send(ready);
        assertEquals(ready, client.nextFrame());
        return client;
    }

    /** The next frame that does not start with {@code prefix} (other clients' ready echoes). */
    static String frameSkipping(ChatClient client, String prefix) {
        for (int i = 0; i < 10; i++) {
            String frame = client.nextFrame();
            if (!frame.startsWith(prefix)) {
                return frame;
            }
        }
        throw new AssertionError("only frames starting with " + prefix);
    }

    @Test
    void plainBroadcastReachesEveryMemberIncludingTheSender() {
        try (ChatClient a = registeredPlain(); ChatClient b = registeredPlain(); ChatClient c = registeredPlain()) {
            String hello = "hello " + UUID.randomUUID();
            a.send(hello);
            for (ChatClient client : List.of(a, b, c)) {
                assertEquals(hello, frameSkipping(client, "ready "), "every member, the sender included");
            }
        }
    }

    @Test
    void chineseTextAndEmojiSurviveTheRoundTripUnchanged() {
        String text = "你好，世界 👋🏽 — ünïcödé 𝄞 " + UUID.randomUUID();
        try (ChatClient plain = plain(); ChatClient json = join(unique("zh"))) {
            plain.send(text);
            assertEquals(text, plain.nextFrame());
            assertEquals(text, json.next("message").getString("text"));
        }
    }

    @Test
    void chatV1SeesWelcomeJoinMessageAndLeave() {
        String alice = unique("alice");
        String bob = unique("bob");
        try (ChatClient a = join(alice)) {
            ChatClient b = join(bob);
            JsonObject joined = a.next(ChatClient.arrived(bob));
            assertTrue(joined.getInt("online") >= 2, "the count, with alice and bob: " + joined);

            b.send("{\"type\":\"message\",\"text\":\"hi alice\",\"cid\":\"c-1\"}");
            JsonObject atA = a.next("message");
            JsonObject atB = b.next("message");
            assertEquals(atA, atB, "everyone gets the same envelope");
            assertEquals(bob, atA.getString("from"));
            assertEquals("hi alice", atA.getString("text"));
            assertEquals("c-1", atA.getString("cid"));
            assertTrue(atA.getJsonNumber("id").longValue() > 0);

            b.close();
            a.next(ChatClient.departed(bob));
        }
    }

    @Test
    void welcomeListsTheUsersOnline() {
        String first = unique("first");
        String second = unique("second");
        try (ChatClient a = join(first)) {
            ChatClient b = new WebSession(server).nickname(second).connectChat(null);
            JsonObject welcome = b.next("welcome");
            List<String> users = welcome.getJsonArray("users").getValuesAs(JsonString::getString);
            assertTrue(users.contains(first) && users.contains(second), users.toString());
            assertTrue(welcome.getJsonNumber("lastId").longValue() >= 0);
            assertTrue(welcome.getInt("online") >= users.size(), "the exact count, guests included: " + welcome);
            b.close();
        }
    }

    @Test
    void theNameIsTheSessionsNeverTheMessageBodys() {
        String real = unique("real");
        try (ChatClient a = join(real)) {
            a.send("{\"type\":\"message\",\"text\":\"spoof\",\"from\":\"admin\",\"user\":\"admin\"}");
            JsonObject message = a.next("message");
            assertEquals(real, message.getString("from"));
        }
        try (ChatClient guest = ChatClient.connect(server.socketUri(null), ChatClient.options().chatV1())) {
            String you = guest.next("welcome").getString("you");
            assertTrue(you.matches("guest-\\d+"), "a connection without a nickname is a guest: " + you);
            guest.send("{\"type\":\"message\",\"text\":\"hello\",\"from\":\"admin\"}");
            assertEquals(you, guest.next("message").getString("from"));
        }
    }

    @Test
    void plainAndChatV1ClientsSeeOneOrder() throws Exception {
        int perSender = 100;
        try (ChatClient plain = plain(); ChatClient json = join(unique("order"));
             ChatClient s1 = plain(); ChatClient s2 = plain(); BackgroundTasks tasks = new BackgroundTasks()) {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            // Registration barrier: each sender's own echo.
            s1.send("ready1-" + tag);
            s2.send("ready2-" + tag);
            tasks.start("sender-1", () -> sendMany(s1, "one-" + tag, perSender));
            tasks.start("sender-2", () -> sendMany(s2, "two-" + tag, perSender));
            List<String> plainSeen = new ArrayList<>();
            List<String> jsonSeen = new ArrayList<>();
            while (plainSeen.size() < 2 * perSender) {
                String frame = plain.nextFrame();
                if (!frame.startsWith("ready")) {
                    plainSeen.add(frame);
                }
            }
            while (jsonSeen.size() < 2 * perSender) {
                String text = json.next("message").getString("text");
                if (!text.startsWith("ready")) {
                    jsonSeen.add(text);
                }
            }
            tasks.awaitAll(ChatClient.WAIT);
            assertEquals(plainSeen, jsonSeen, "same messages in the same order");
        }
    }

    @Test
    void shutdownClosesEverySessionWithGoingAway() {
        ChatServer stopping = start(RELAXED);
        ChatClient plain = ChatClient.plain(stopping);
        ChatClient json = WebSession.joined(stopping, unique("bye"), null);
        plain.send("still here");
        assertEquals("still here", plain.nextFrame());
        stopping.close();
        for (ChatClient client : List.of(plain, json)) {
            assertEquals(1001, client.awaitClose().code(), "closed with 1001 so pages reconnect and resume");
        }
    }

    static void sendMany(ChatClient client, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            client.send(prefix + "-" + i);
        }
    }

    @Test
    void aClientThatVanishesWithoutCloseFrameIsRemovedAndAnnouncedOnce() {
        String watcher = unique("watch");
        String ghost = unique("ghost");
        try (ChatClient w = join(watcher)) {
            ChatClient g = join(ghost);
            w.next(ChatClient.arrived(ghost));
            g.abort();
            w.next(ChatClient.departed(ghost));
            // A marker message after the leave: nothing about the ghost may come between.
            w.send("after-" + ghost);
            JsonObject next = w.next();
            while (!"message".equals(next.getString("type"))) {
                assertFalse(ChatClient.names(next, "joined").contains(ghost) || ChatClient.names(next, "left")
                        .contains(ghost),
                        "ghost announced once: " + next);
                next = w.next();
            }
            assertEquals("after-" + ghost, next.getString("text"));
        }
    }

    @Test
    void fiftyClientsSendingFlatOutAllReceiveEverythingInPerSenderOrder() throws Exception {
        int clients = 50;
        int perClient = 200;
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<ChatClient> all = new ArrayList<>();
        try (BackgroundTasks tasks = new BackgroundTasks()) {
            for (int i = 0; i < clients; i++) {
                ChatClient client = plain();
                all.add(client);
                client.send("ready-" + tag + "-" + i);
                // Wait for our own echo: registered before anyone starts sending.
                String frame;
                do {
                    frame = client.nextFrame();
                } while (!frame.equals("ready-" + tag + "-" + i));
            }
            for (int i = 0; i < clients; i++) {
                ChatClient client = all.get(i);
                String prefix = tag + ":" + i;
                tasks.start("sender-" + i, () -> sendMany(client, prefix, perClient));
            }
            for (ChatClient client : all) {
                int[] nextFromSender = new int[clients];
                int received = 0;
                while (received < clients * perClient) {
                    String frame;
                    try {
                        frame = client.nextFrame();
                    } catch (AssertionError e) {
                        String metrics = new WebSession(server).get("metrics").body();
                        throw new AssertionError("after " + received + " of " + clients * perClient + "; server: "
                                + metrics.lines().filter(l -> l.startsWith("chat_") && !l.startsWith("chat_closes"))
                                .toList(), e);
                    }
                    if (!frame.startsWith(tag + ":")) {
                        continue; // a late "ready" of another client
                    }
                    String[] parts = frame.substring(tag.length() + 1).split("-");
                    int sender = Integer.parseInt(parts[0]);
                    int seq = Integer.parseInt(parts[1]);
                    assertEquals(nextFromSender[sender], seq, "per-sender order from " + sender);
                    nextFromSender[sender]++;
                    received++;
                }
            }
            tasks.awaitAll(ChatClient.WAIT);
            for (ChatClient client : all) {
                assertFalse(client.isClosed(), "no unexpected close");
                assertNull(client.error());
            }
        } finally {
            all.forEach(ChatClient::close);
        }
    }
}
