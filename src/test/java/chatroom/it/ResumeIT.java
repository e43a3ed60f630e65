package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import chatroom.testing.BackgroundTasks;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;

/**
 * Nothing lost, nothing twice: resume with {@code since}, {@code reset}, and re-sent {@code cid}s
 * (../shared/DESIGN.md, "Resume"), against the real webapp in each container (one subclass each).
 *
 * <p>Tests share one server with the default history (1000) and run one after another; those that need a small
 * history share a second one. Every id a test checks comes from its own traffic, never from a count of what other
 * tests sent.
 */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class ResumeIT extends ServerSuite {
    private static final int SMALL_HISTORY = 10;
    private static final Duration SENDERS_FINISH = Duration.ofSeconds(20);


    /**
     * This run's second server, which retains only {@link #SMALL_HISTORY} messages: started by the first test that
     * needs it and shared by the others (they run one after another, and each sends more than it retains).
     */
    private ChatServer smallHistory;

    ChatServer smallHistoryServer() {
        if (smallHistory == null) {
            Map<String, String> params = new HashMap<>(ServerSuite.RELAXED);
            params.put("chat.history.size", String.valueOf(SMALL_HISTORY));
            smallHistory = start(params);
        }
        return smallHistory;
    }

    @AfterParameterizedClassInvocation
    void stopSmallHistoryServer() {
        if (smallHistory != null) {
            smallHistory.close();
            smallHistory = null;
        }
    }

    @Test
    void resumeAfterAbruptDropsLosesNothingAndDuplicatesNothing() throws Exception {
        int drops = 20;
        int senderCount = 5;
        int perSender = 300;
        long pauseMillis = 5;
        String tag = unique("drop");
        WebSession a = visitor(server, "a");
        List<ChatClient> clients = new ArrayList<>();
        try (BackgroundTasks tasks = new BackgroundTasks()) {
            ChatClient aSocket = a.connectChat(null);
            clients.add(aSocket);
            long aStart = lastId(awaitWelcome(aSocket));
            ChatClient reference = join(server, unique("r"));
            clients.add(reference);
            List<ChatClient> senders = joinAll(server, "s", senderCount, clients);

            String end = startTraffic(tasks, senders, tag, perSender, pauseMillis, () -> { });

            // A reads like a page: it drops the TCP connection (no close frame) after a varying number of
            // messages, whatever was still in flight or half-read in a batched frame, and resumes from the last
            // id it has shown.
            Random random = new Random(20);
            List<Long> seenByA = new ArrayList<>();
            int dropped = 0;
            int resumedBehind = 0;
            int untilDrop = random.nextInt(20, 60);
            while (true) {
                JsonObject message = nextMessage(aSocket);
                long id = id(message);
                seenByA.add(id);
                if (end.equals(message.getString("text"))) {
                    break;
                }
                if (dropped < drops && --untilDrop == 0) {
                    aSocket.abort();
                    aSocket = a.connectChat("since=" + id);
                    clients.add(aSocket);
                    long welcomeLastId = lastId(awaitWelcome(aSocket));
                    assertTrue(welcomeLastId >= id, "welcome lastId " + welcomeLastId + " behind since=" + id);
                    if (welcomeLastId > id) {
                        resumedBehind++;
                    }
                    dropped++;
                    untilDrop = random.nextInt(20, 60);
                }
            }
            tasks.awaitAll(SENDERS_FINISH);
            assertEquals(drops, dropped, "drops before the last message");
            // Traffic goes on while A is away, so a resume nearly always has something to replay; if it did not,
            // this test would no longer test the replay.
            assertTrue(resumedBehind >= drops / 2, "only " + resumedBehind + " of " + drops + " resumes had a replay");

            List<Long> seenByReference = ids(messagesUntil(reference, end));
            assertConsecutive(aStart + 1, seenByReference);
            assertEquals(senderCount * perSender + 1, seenByReference.size(), "every message and the end marker");
            assertEquals(seenByReference, seenByA, "A's connections together saw exactly what the reference saw");
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    @Test
    void replayRacingLiveTrafficHasNoDuplicateOrGapAtTheBoundary() throws Exception {
        int preload = 150;
        int behind = 100;
        int senderCount = 4;
        int perSender = 200;
        // About 1200 messages a second in all. Flat out, the clients' sends pile up in socket buffers and the
        // server takes them all in before a resumer's handshake is through; paced, they arrive while it joins.
        long pauseMillis = 3;
        // Sends after which each resumer connects. Even the last is at most behind + senderCount * perSender + 1
        // messages back, within the default history (1000): a replay, never a reset.
        int[] resumeAfter = {10, 100, 200, 300};
        String tag = unique("race");
        List<ChatClient> clients = new ArrayList<>();
        ChatClient[] resumers = new ChatClient[resumeAfter.length];
        try (BackgroundTasks tasks = new BackgroundTasks()) {
            ChatClient loader = join(server, unique("load"));
            clients.add(loader);
            List<JsonObject> preloaded = sendAndAwaitEchoes(loader, tag + ":pre:", preload);
            long since = id(preloaded.get(preload - 1)) - behind;
            List<ChatClient> senders = joinAll(server, "s", senderCount, clients);
            // Nicknames now: under load a POST takes long, and only the handshake should race the traffic.
            List<WebSession> late = new ArrayList<>();
            for (int i = 0; i < resumeAfter.length; i++) {
                late.add(visitor(server, "late" + i));
            }

            List<CountDownLatch> progress = new ArrayList<>();
            for (int count : resumeAfter) {
                progress.add(new CountDownLatch(count));
            }
            String end = startTraffic(tasks, senders, tag, perSender, pauseMillis,
                    () -> progress.forEach(CountDownLatch::countDown));
            for (int i = 0; i < resumeAfter.length; i++) {
                int k = i;
                // Each on a thread of its own, so that a slow handshake does not hold back the next.
                tasks.start("resumer-" + k, () -> {
                    assertTrue(progress.get(k).await(ChatClient.WAIT.toMillis(), TimeUnit.MILLISECONDS),
                            "senders stalled");
                    resumers[k] = late.get(k).connectChat("since=" + since);
                });
            }
            tasks.awaitAll(SENDERS_FINISH);

            int joinedMidTraffic = 0;
            for (ChatClient resumer : resumers) {
                long welcomeLastId = lastId(awaitWelcome(resumer));
                List<Long> seen = ids(messagesUntil(resumer, end));
                assertConsecutive(since + 1, seen);
                assertEquals(behind + senderCount * perSender + 1, seen.size(),
                        "replay, live traffic and the end marker");
                if (welcomeLastId < seen.get(seen.size() - 2)) {
                    joinedMidTraffic++;
                }
            }
            // If no resumer joined before the last message of the traffic, the seam went untested.
            assertTrue(joinedMidTraffic > 0, "no resumer joined while the senders were sending");
        } finally {
            clients.forEach(ChatClient::close);
            for (ChatClient resumer : resumers) {
                if (resumer != null) {
                    resumer.close();
                }
            }
        }
    }

    @Test
    void resentCidIsBroadcastOnceAndTheSenderGetsTheOriginalBack() {
        String envelope = "{\"type\":\"message\",\"text\":\"x\",\"cid\":\"c-1\"}";
        WebSession sender = visitor(server, "cid");
        try (ChatClient other = join(server, unique("other"))) {
            JsonObject original;
            try (ChatClient first = sender.connectChat(null)) {
                awaitWelcome(first);
                first.send(envelope);
                original = nextMessage(first);
                assertEquals("c-1", original.getString("cid"));
                first.abort(); // the page never learns whether the server got it, so it will send it again
            }
            JsonObject seenByOther = nextMessage(other);
            assertEquals(original, seenByOther);

            try (ChatClient second = sender.connectChat("since=" + id(original))) {
                awaitWelcome(second);
                second.send(envelope);
                assertEquals(original, nextMessage(second), "the sender gets the original back: same id, same ts");

                String marker = unique("after");
                second.send(marker);
                assertEquals(marker, nextMessage(second).getString("text"));
            }
            JsonObject next = nextMessage(other);
            assertNotEquals("c-1", next.getString("cid", null), "broadcast a second time: " + next);
            assertTrue(next.getString("text").startsWith("after-"), next.toString());
        }
    }

    @Test
    void sinceOlderThanHistoryGetsResetThenTheRetainedHistory() {
        ChatServer small = smallHistoryServer();
        try (ChatClient sender = join(small, unique("s"))) {
            List<JsonObject> sent = sendAndAwaitEchoes(sender, "m", 25);
            assertResume(small, "since=" + id(sent.get(0)), List.of("reset"), sent.subList(25 - SMALL_HISTORY, 25));
        }
    }

    @Test
    void historyBoundHolds() {
        int sentCount = SMALL_HISTORY + 100;
        ChatServer small = smallHistoryServer();
        try (ChatClient sender = join(small, unique("s"))) {
            List<JsonObject> sent = sendAndAwaitEchoes(sender, "m", sentCount);
            assertResume(small, "since=0", List.of("reset"), sent.subList(sentCount - SMALL_HISTORY, sentCount));
        }
    }

    @Test
    void badSinceGetsAnErrorAndTheConnectionStays() {
        for (String since : List.of("abc", "-5")) {
            assertResume(server, "since=" + since, List.of("error"), List.of());
        }
    }

    @Test
    void sinceFromTheFutureGetsErrorThenReset() {
        // As a page sees it after a restart of a server whose history is in memory.
        ChatServer small = smallHistoryServer();
        try (ChatClient sender = join(small, unique("s"))) {
            List<JsonObject> sent = sendAndAwaitEchoes(sender, "m", 25);
            assertResume(small, "since=" + (id(sent.get(24)) + 100), List.of("error", "reset"),
                    sent.subList(25 - SMALL_HISTORY, 25));
        }
    }

    @Test
    void welcomeCarriesLastId() {
        try (ChatClient sender = join(server, unique("k"))) {
            List<JsonObject> sent = sendAndAwaitEchoes(sender, "k", 3);
            long last = id(sent.get(2));
            try (ChatClient newcomer = visitor(server, "n").connectChat(null)) {
                assertEquals(last, lastId(awaitWelcome(newcomer)));
            }
            // The id the page resumes from: nothing is replayed from there.
            assertResume(server, "since=" + last, List.of(), List.of());
        }
    }

    // ---- helpers ----

    static WebSession visitor(ChatServer on, String prefix) {
        return new WebSession(on).nickname(unique(prefix));
    }

    /** A visitor's chat.v1 socket whose welcome has arrived: it receives every broadcast from now on. */
    static ChatClient join(ChatServer on, String name) {
        return WebSession.joined(on, name, null);
    }

    /** {@code count} joined visitors, each also added to {@code opened} (to be closed by the caller). */
    static List<ChatClient> joinAll(ChatServer on, String prefix, int count, List<ChatClient> opened) {
        List<ChatClient> joined = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChatClient client = join(on, unique(prefix + i));
            opened.add(client);
            joined.add(client);
        }
        return joined;
    }

    static JsonObject awaitWelcome(ChatClient client) {
        JsonObject first = client.next();
        assertEquals("welcome", first.getString("type"), "the first envelope is the welcome: " + first);
        return first;
    }

    /** The next message; presence is skipped, anything else (reset, error, a second welcome) fails. */
    static JsonObject nextMessage(ChatClient client) {
        return client.next(envelope -> {
            String type = envelope.getString("type");
            if (!type.equals("message") && !type.equals("presence")) {
                fail("expected a message, got " + envelope);
            }
            return type.equals("message");
        });
    }

    /** Messages up to and including the one with this text. */
    static List<JsonObject> messagesUntil(ChatClient client, String lastText) {
        List<JsonObject> messages = new ArrayList<>();
        JsonObject message;
        do {
            message = nextMessage(client);
            messages.add(message);
        } while (!lastText.equals(message.getString("text")));
        return messages;
    }

    /** Sends {@code prefix0..prefix<count-1>} and returns their echoes, in order; the sender must be alone. */
    static List<JsonObject> sendAndAwaitEchoes(ChatClient sender, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            sender.send(prefix + i);
        }
        List<JsonObject> echoes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonObject echo = nextMessage(sender);
            assertEquals(prefix + i, echo.getString("text"));
            echoes.add(echo);
        }
        return echoes;
    }

    /**
     * Starts one task per sender: {@code perSender} messages {@code tag:sender:i}, {@code pauseMillis} apart,
     * {@code afterEachSend} after each. A sender then waits for the echo of its last message, so all of its
     * messages have ids; the last sender to get there sends the end marker, whose text is returned.
     */
    static String startTraffic(BackgroundTasks tasks, List<ChatClient> senders, String tag, int perSender,
            long pauseMillis, Runnable afterEachSend) {
        String end = "end-" + tag;
        AtomicInteger running = new AtomicInteger(senders.size());
        for (int s = 0; s < senders.size(); s++) {
            ChatClient sender = senders.get(s);
            String prefix = tag + ":" + s + ":";
            tasks.start("sender-" + s, () -> {
                for (int i = 0; i < perSender; i++) {
                    sender.send(prefix + i);
                    afterEachSend.run();
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis); // pacing, not waiting for anything
                    }
                }
                String last = prefix + (perSender - 1);
                sender.next(e -> "message".equals(e.getString("type")) && last.equals(e.getString("text")));
                if (running.decrementAndGet() == 0) {
                    sender.send(end);
                    sender.next(e -> "message".equals(e.getString("type")) && end.equals(e.getString("text")));
                }
            });
        }
        return end;
    }

    /**
     * Resumes as a new visitor with this query and checks what arrives, in order: the welcome, the notices of the
     * given types (an error must be bad_request), exactly the given replay, and then live traffic only: the
     * visitor's own marker is the next message.
     */
    static void assertResume(ChatServer on, String query, List<String> notices, List<JsonObject> replay) {
        try (ChatClient client = visitor(on, "resume").connectChat(query)) {
            awaitWelcome(client);
            for (String type : notices) {
                JsonObject notice = client.next();
                assertEquals(type, notice.getString("type"), query + ": " + notice);
                if (type.equals("error")) {
                    assertEquals("bad_request", notice.getString("code"), notice.toString());
                }
            }
            for (JsonObject expected : replay) {
                assertEquals(expected, nextMessage(client), query + ": replay");
            }
            String marker = unique("live");
            client.send(marker);
            assertEquals(marker, nextMessage(client).getString("text"), query + ": nothing but live after the replay");
        }
    }

    static long id(JsonObject message) {
        return message.getJsonNumber("id").longValue();
    }

    static long lastId(JsonObject welcome) {
        return welcome.getJsonNumber("lastId").longValue();
    }

    static List<Long> ids(List<JsonObject> messages) {
        return messages.stream().map(ResumeIT::id).toList();
    }

    /** Ids {@code first, first + 1, ...}: no gap, no duplicate, no reordering. */
    static void assertConsecutive(long first, List<Long> ids) {
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) != first + i) {
                fail("expected id " + (first + i) + " at position " + i + ", got " + ids.get(i) + " in "
                        + ids.subList(Math.max(0, i - 3), Math.min(ids.size(), i + 4)));
            }
        }
    }
}
