package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.ChatSettings;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.RawWebSocket;
import chatroom.testing.ServerProbe;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Limits and failures" of ../shared/DESIGN.md against the real webapp in each container: what the server does
 * with oversize, binary, malformed and too-fast input, foreign origins, peers that vanish or stop reading, and
 * what /health and /metrics say about it.
 *
 * <p>Tests 1-4 share one server with short limits, so each breach shows within seconds; the slow-reader and
 * the figures tests each start a server of their own (their counters must start at zero).
 */
class HardeningIT extends ServerSuite {
    static final int RATE = 10;
    static final int BURST = 10;
    static final long PING_MILLIS = 1000;
    static final long IDLE_MILLIS = 3000;
    /** How often the room checks idle peers: a peer is dropped at most this long after its timeout. */
    static final long HOUSEKEEPING_MILLIS = 1000;
    static final String ALLOWED_ORIGIN = "http://allowed.example";
    /** web.xml's defaults, which the shared server keeps. */
    static final int MAX_MESSAGE_BYTES = 8192;
    static final int MAX_TEXT_LENGTH = 2000;

    ServerProbe probe;

    /** Short limits, so each breach shows within seconds. */
    @Override
    Map<String, String> sharedServerParams() {
        return Map.of(
                "chat.rate.perSecond", String.valueOf(RATE),
                "chat.rate.burst", String.valueOf(BURST),
                "chat.ping.intervalMillis", String.valueOf(PING_MILLIS),
                "chat.idle.timeoutMillis", String.valueOf(IDLE_MILLIS),
                "chat.origins.allowed", ALLOWED_ORIGIN);
    }

    @BeforeAll
    void openProbe() {
        probe = new ServerProbe(server);
    }

    static ChatClient join(ChatServer server, String name) {
        return WebSession.joined(server, name, null);
    }

    static ChatClient plain(ChatServer server) {
        return ChatClient.plain(server);
    }

    static String envelope(String text, String cid) {
        return ChatClient.envelope(text, cid);
    }

    static JsonObject parse(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }

    static void assertError(JsonObject error, String code, String cid) {
        assertEquals(code, error.getString("code"), error.toString());
        assertEquals(cid, error.getString("cid", null), "the error carries the refused message's cid: " + error);
    }

    // 1. Input the server refuses

    @Test
    void frameOverTheSizeLimitIsClosedWith1009ButOneAtTheLimitIsNot() {
        try (ChatClient client = join(server, unique("big"))) {
            // Exactly at the limit passes the size check and is refused as text (far over 2000 characters).
            client.send("x".repeat(MAX_MESSAGE_BYTES));
            assertError(client.next("error"), "too_long", null);
            // One byte more, counted in UTF-8: 8190 ASCII + 'é' (2 bytes) = 8192 is fine, + one more byte is not.
            client.send("y".repeat(MAX_MESSAGE_BYTES - 2) + "é" + "y");
            ChatClient.Closed closed = client.awaitClose();
            assertEquals(1009, closed.code(), closed.toString());
        }
    }

    @Test
    void binaryFrameIsClosedWith1003() {
        try (ChatClient client = join(server, unique("bin"))) {
            client.sendBinary(new byte[] {1, 2, 3});
            ChatClient.Closed closed = client.awaitClose();
            assertEquals(1003, closed.code(), closed.toString());
        }
    }

    @Test
    void binaryFrameLargerThanItsSmallBufferIsClosedWith1009() {
        // Sessions start with small buffers (IdleBuffers): a binary frame past 1 KiB is cut by the container itself.
        try (ChatClient client = join(server, unique("bin"))) {
            client.sendBinary(new byte[4096]);
            ChatClient.Closed closed = client.awaitClose();
            assertEquals(1009, closed.code(), closed.toString());
        }
    }

    @Test
    void malformedUnknownOrEmptyEnvelopesGetBadRequestAndTheConnectionStays() {
        try (ChatClient observer = join(server, unique("obs")); ChatClient sender = join(server, unique("bad"))) {
            record Case(String frame, String cid) {
            }
            List<Case> cases = List.of(
                    new Case("{\"type\":\"message\",\"text\":", null),
                    new Case("{\"type\":\"typing\",\"cid\":\"u-1\"}", "u-1"),
                    new Case(envelope("", "e-1"), "e-1"),
                    new Case(envelope(" \t ", "e-2"), "e-2"),
                    new Case("   ", null));
            for (Case refused : cases) {
                sender.send(refused.frame());
                assertError(sender.next("error"), "bad_request", refused.cid());
            }
            String ok = unique("still-here");
            sender.send(envelope(ok, "ok-1"));
            JsonObject delivered = observer.next("message");
            assertEquals(ok, delivered.getString("text"), "nothing refused was broadcast; the next message is");
            assertEquals("ok-1", delivered.getString("cid"));
            assertFalse(sender.isClosed());
        }
    }

    /**
     * A lone surrogate written as a JSON escape is valid JSON, but no UTF-8 encoding of it exists: broadcast, it
     * made every send fail on Tomcat (every member closed with 1011, and again on every resume while it stayed
     * in history). It must be refused at the door, and nobody else may notice.
     */
    @Test
    void textThatCannotBeEncodedIsRefusedAndFiftyMembersStayOpen() {
        List<ChatClient> room = new ArrayList<>();
        try (ChatClient sender = join(server, unique("poison"))) {
            for (int i = 0; i < 25; i++) {
                room.add(plain(server));
                ChatClient guest = ChatClient.connect(server.socketUri(null), ChatClient.options().chatV1());
                room.add(guest);
                guest.next("welcome");
            }
            String ready = unique("ready");
            sender.send(envelope(ready, "ready-1"));
            long readyId = sender.next("message").getJsonNumber("id").longValue();
            room.forEach(member -> assertEquals(ready, textOf(member), "every member is in the room"));

            sender.send("{\"type\":\"message\",\"text\":\"a\\ud800b\",\"cid\":\"p-1\"}");
            assertError(sender.next("error"), "bad_request", "p-1");
            sender.send("{\"type\":\"message\",\"text\":\"fine\",\"cid\":\"\\udc00\"}");
            assertError(sender.next("error"), "bad_request", null);

            String after = unique("after");
            sender.send(envelope(after, "after-1"));
            for (ChatClient member : room) {
                assertEquals(after, textOf(member), "the next message reaches everyone, and nothing poisoned came first");
                assertFalse(member.isClosed(), "no member was closed");
            }
            // A page reconnecting from before the poison gets what was accepted since, and stays open.
            try (ChatClient resumed = ChatClient.connect(server.socketUri("since=" + readyId), ChatClient.options().chatV1())) {
                resumed.next("welcome");
                assertEquals(after, resumed.next("message").getString("text"));
                assertFalse(resumed.isClosed());
            }
        } finally {
            room.forEach(ChatClient::close);
        }
    }

    /** Parser edge cases that once escaped as exceptions: each is a bad_request, and the connection stays. */
    @Test
    void deeplyNestedJsonAndHugeNumbersAreBadRequestsAndTheConnectionStays() {
        try (ChatClient observer = join(server, unique("obs")); ChatClient sender = join(server, unique("deep"))) {
            int depth = 3000; // 6 KB of brackets: under the frame limit, far over any sane nesting
            List<String> frames = List.of(
                    "{\"type\":\"message\",\"text\":\"x\",\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
                    "{\"type\":\"message\",\"text\":\"x\",\"n\":1" + "0".repeat(7000) + "}",
                    "{\"type\":\"message\",\"text\":\"x\",\"n\":1e999999999999}");
            for (String frame : frames) {
                sender.send(frame);
                assertEquals("bad_request", sender.next("error").getString("code"), frame.substring(0, Math.min(60, frame.length())));
            }
            String ok = unique("after-deep");
            sender.send(envelope(ok, "d-1"));
            assertEquals(ok, observer.next("message").getString("text"));
            assertFalse(sender.isClosed());
        }
    }

    /** The text a member received next: a plain member's frame, or a chat.v1 member's next message. */
    private static String textOf(ChatClient member) {
        return member.subprotocol().isEmpty() ? member.nextFrame() : member.next("message").getString("text");
    }

    @Test
    void textOverTheLengthLimitGetsTooLongWithItsCidAndTheConnectionStays() {
        try (ChatClient observer = join(server, unique("obs")); ChatClient sender = join(server, unique("long"))) {
            sender.send(envelope("a".repeat(MAX_TEXT_LENGTH + 1), "long-1"));
            assertError(sender.next("error"), "too_long", "long-1");
            String atTheLimit = "b".repeat(MAX_TEXT_LENGTH);
            sender.send(envelope(atTheLimit, "limit-1"));
            JsonObject delivered = observer.next("message");
            assertEquals(atTheLimit, delivered.getString("text"), "2000 characters is fine and comes next");
            assertEquals("limit-1", delivered.getString("cid"));
        }
    }

    @Test
    void plainTooLongOrBlankTextIsDroppedSilentlyAndTheConnectionStays() {
        try (ChatClient observer = plain(server); ChatClient sender = plain(server)) {
            sender.send("a".repeat(MAX_TEXT_LENGTH + 1));
            sender.send("  ");
            String ok = unique("plain-ok");
            sender.send(ok);
            assertEquals(ok, sender.nextFrame(), "no error, no notice, no echo of the dropped ones: plain sees messages only");
            assertEquals(ok, observer.nextFrame());
        }
    }

    // 2. Flooding

    @Test
    void floodIsRateLimitedThenClosedWith1008WhileOthersAreDelivered() throws Exception {
        String calmName = unique("calm");
        try (ChatClient observer = join(server, unique("obs"));
             ChatClient flooder = join(server, unique("flood"));
             ChatClient calm = join(server, calmName)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger floodSent = new AtomicInteger();
            // Five times the rate: after the burst four in five are refused; the abuse meter grows by those and
            // drains at the rate, so it passes 15 x rate after 15 / (4 - 1) = 5 s (RateLimiter).
            long floodPeriodNanos = TimeUnit.SECONDS.toNanos(1) / (5 * RATE);
            long floodStart = System.nanoTime();
            Thread floodThread = new Thread(() -> {
                try {
                    for (int i = 0; !flooder.isClosed() && System.nanoTime() - floodStart < TimeUnit.SECONDS.toNanos(15); i++) {
                        pace(floodStart + i * floodPeriodNanos);
                        flooder.send(envelope("flood-" + i, "f-" + i));
                        floodSent.incrementAndGet();
                    }
                } catch (AssertionError e) {
                    try {
                        flooder.awaitClose(); // a send racing the server's close fails: that is the close
                    } catch (AssertionError notClosed) {
                        failure.compareAndSet(null, e);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "flooder");
            floodThread.start();

            // Meanwhile a well-behaved member talks at half the rate.
            List<String> calmSent = new ArrayList<>();
            long calmPeriodNanos = TimeUnit.SECONDS.toNanos(1) * 2 / RATE;
            for (int i = 0; !flooder.isClosed() && System.nanoTime() - floodStart < TimeUnit.SECONDS.toNanos(15); i++) {
                pace(floodStart + i * calmPeriodNanos);
                String text = "calm-" + i;
                calm.send(text);
                calmSent.add(text);
            }
            ChatClient.Closed closed = flooder.awaitClose(Duration.ofSeconds(5));
            double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
            floodThread.join(5_000);
            assertNull(failure.get(), () -> "flood thread failed: " + failure.get());
            assertEquals(1008, closed.code(), closed.toString());
            assertTrue(floodSent.get() > 15 * RATE, "closed only after sustained abuse, not at the first refusal: "
                    + floodSent.get() + " sent");
            String last = "calm-last";
            calm.send(last);
            calmSent.add(last);

            List<String> calmSeen = new ArrayList<>();
            Set<String> floodSeen = new HashSet<>();
            while (!calmSeen.contains(last)) {
                JsonObject message = observer.next("message");
                if (calmName.equals(message.getString("from"))) {
                    calmSeen.add(message.getString("text"));
                } else {
                    floodSeen.add(message.getString("cid"));
                }
            }
            assertEquals(calmSent, calmSeen, "every message of the well-behaved member, in order");
            double allowed = BURST + RATE * floodSeconds;
            assertTrue(floodSeen.size() <= allowed, floodSeen.size() + " flood messages broadcast in " + floodSeconds
                    + " s; the bucket allows " + allowed);

            Set<String> refused = new HashSet<>();
            for (String frame = flooder.frameWithin(Duration.ZERO); frame != null; frame = flooder.frameWithin(Duration.ZERO)) {
                for (String line : ChatClient.lines(frame)) {
                    JsonObject envelope = parse(line);
                    if ("error".equals(envelope.getString("type"))) {
                        assertEquals("rate_limited", envelope.getString("code"), envelope.toString());
                        refused.add(envelope.getString("cid")); // every flood message had one: its error carries it
                    }
                }
            }
            assertFalse(refused.isEmpty(), "the flooder was told it was rate limited");
            Set<String> refusedButBroadcast = new HashSet<>(refused);
            refusedButBroadcast.retainAll(floodSeen);
            assertEquals(Set.of(), refusedButBroadcast, "a refused message is never broadcast");
            System.out.printf("[hardening] %s flood: %d sent in %.1f s, %d broadcast, %d rate_limited errors seen, closed %s%n",
                    server.containerName(), floodSent.get(), floodSeconds, floodSeen.size(), refused.size(), closed);
        }
    }

    /** Pacing a sender loop, not waiting for an event. */
    static void pace(long untilNanos) throws InterruptedException {
        long left = untilNanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    // 3. Origins

    @Test
    void handshakeFromAForeignOriginIsRefusedWith403AndMakesNoSession() {
        String evil = unique("evil");
        String marker = unique("mark");
        try (ChatClient observer = join(server, unique("obs"))) {
            int before = probe.health().getInt("connections");
            WebSession visitor = new WebSession(server).nickname(evil);
            for (String origin : List.of("http://evil.example", "http://127.0.0.1:1", "null")) {
                ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class, () -> ChatClient.connect(
                        server.socketUri(null), ChatClient.options().chatV1().cookie(visitor.cookieHeader()).origin(origin)));
                assertEquals(403, refused.status(), origin + ": " + refused);
            }
            // Not equal: a client of an earlier test may still be leaving.
            assertTrue(probe.health().getInt("connections") <= before, "no session was opened");
            try (ChatClient accepted = join(server, marker)) {
                observer.next(e -> {
                    assertFalse(ChatClient.names(e, "joined").contains(evil), "the refused handshakes never joined the room");
                    return ChatClient.arrived(marker).test(e);
                });
            }
        }
    }

    @Test
    void sameOriginNoOriginAndAllowListedOriginsAreAccepted() {
        String sameOrigin = "http://127.0.0.1:" + server.port();
        for (String origin : Arrays.asList(sameOrigin, ALLOWED_ORIGIN, null)) {
            ChatClient.Options options = ChatClient.options().chatV1();
            if (origin != null) {
                options.origin(origin);
            }
            try (ChatClient client = ChatClient.connect(server.socketUri(null), options)) {
                assertEquals("welcome", client.next().getString("type"), "accepted with Origin " + origin);
            }
        }
    }

    @Test
    void nicknamePostFromAForeignOriginIsRefusedWith403() {
        HttpResponse<String> refused = new WebSession(server).postNickname(unique("csrf"), "http://evil.example", "application/json");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("\"error\":\"forbidden_origin\""), refused.body());
        for (String origin : List.of("http://127.0.0.1:" + server.port(), ALLOWED_ORIGIN)) {
            assertEquals(200, new WebSession(server).postNickname(unique("ok"), origin, "application/json").statusCode(), origin);
        }
    }

    // 4. A peer that goes silent

    @Test
    void silentPeerIsDroppedAfterTheIdleTimeoutWhileAPingAnsweringClientStays() throws Exception {
        String ghost = unique("ghost");
        try (ChatClient watcher = join(server, unique("watch"))) {
            long watcherSilentSince = System.nanoTime();
            WebSession ghostSession = new WebSession(server).nickname(ghost);
            // Never reads, never answers a ping, never sends a close frame: a laptop lid closed on a Wi-Fi link.
            try (RawWebSocket silent = RawWebSocket.connect(server.socketUri(null), 0, "Cookie: " + ghostSession.cookieHeader())) {
                long connected = System.nanoTime();
                watcher.next(ChatClient.arrived(ghost));
                watcher.next(ChatClient.departed(ghost));
                long goneAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected);
                assertTrue(goneAfterMillis >= IDLE_MILLIS - HOUSEKEEPING_MILLIS, "not dropped early: " + goneAfterMillis + " ms");
                // At most one housekeeping period after the timeout; two more for a machine shared with other builds.
                assertTrue(goneAfterMillis <= IDLE_MILLIS + 3 * HOUSEKEEPING_MILLIS, "dropped " + goneAfterMillis + " ms after connecting");

                RawWebSocket.Ending ending = silent.drain(ChatClient.WAIT);
                assertTrue(ending.pings() >= 1, "the server pinged before giving up: " + ending);
                assertEquals(1001, ending.closeCode(), "closed as idle: " + ending);
                assertEquals("idle timeout", ending.close().closeReason());
                System.out.printf("[hardening] %s silent peer: left after %d ms; %s%n", server.containerName(), goneAfterMillis, ending);
            }
            // The watcher has sent nothing since its welcome, only answered pings: it must outlive two idle timeouts.
            long stayUntil = watcherSilentSince + TimeUnit.MILLISECONDS.toNanos(2 * IDLE_MILLIS);
            while (System.nanoTime() < stayUntil) {
                String frame = watcher.frameWithin(Duration.ofNanos(Math.max(1, stayUntil - System.nanoTime())));
                for (String line : frame == null ? List.<String>of() : ChatClient.lines(frame)) {
                    assertEquals("presence", parse(line).getString("type"), "only presence: " + line);
                }
            }
            assertFalse(watcher.isClosed(), "the ping-answering client is still connected");
            String text = unique("still-alive");
            watcher.send(text);
            assertEquals(text, watcher.next("message").getString("text"));
        }
    }

    // 5. Slow readers

    /**
     * The issue asks for 200 healthy readers for 20 s; this is half of each. Its rate, message size and number of
     * senders and slow readers are kept: they set what each member must carry (1.6 MB/s). The server keeps the
     * default slow-consumer rule: a member whose send makes no progress for 10 s is cut, whatever its backlog
     * (once, an outbox bound of 1 MiB, 0.64 s of this traffic, cut healthy readers on a busy machine). On this
     * project's machines (2 cores, shared with other builds) the full size took 25-40 s per container, twice the
     * suite's budget. Raise them on a machine of your own.
     */
    static final int HEALTHY = 100;
    static final int RUN_SECONDS = 10;
    static final int SLOW = 5;
    static final int SENDERS = 5;
    static final int MESSAGES_PER_SECOND = 200;
    static final int MESSAGE_BYTES = 8192;
    /**
     * A healthy reader's socket receive buffer. A real client's grows by autotuning as it keeps up; here, with
     * hundreds of reader threads on two shared cores, a reader is sometimes not scheduled for a while.
     */
    static final int HEALTHY_RECEIVE_BUFFER = 1024 * 1024;
    /**
     * Traffic at the full rate before the slow readers connect and the count starts, as any load test has: on a
     * cold JVM the first second of JIT compilation and thread-pool growth stalls a container.
     */
    static final int WARM_UP_SECONDS = 2;
    static final char WARM_UP = 'w';

    /** Counts one reader's messages and checks that every sender's sequence arrives whole and in order. */
    static final class Tally {
        private final int[] next = new int[SENDERS];
        private final int expected;
        private final CountDownLatch complete;
        private final int warmUpExpected;
        private final CountDownLatch warmedUp;
        private int warmUpCount;
        private volatile int count;

        Tally(int expected, CountDownLatch complete, int warmUpExpected, CountDownLatch warmedUp) {
            this.expected = expected;
            this.complete = complete;
            this.warmUpExpected = warmUpExpected;
            this.warmedUp = warmedUp;
        }

        /**
         * {@code head}: the message's first characters, "sender:seq:..." ("w..." in the warm-up); one reader
         * thread at a time.
         */
        void record(CharSequence head, int length) {
            if (head.charAt(0) == WARM_UP) {
                if (++warmUpCount == warmUpExpected) {
                    warmedUp.countDown();
                }
                return;
            }
            int colon = indexOf(head, ':', 0);
            int sender = Integer.parseInt(head, 0, colon, 10);
            int seq = Integer.parseInt(head, colon + 1, indexOf(head, ':', colon + 1), 10);
            if (seq != next[sender] || length != MESSAGE_BYTES) {
                throw new AssertionError("from sender " + sender + " expected #" + next[sender] + " of " + MESSAGE_BYTES
                        + " bytes, got #" + seq + " of " + length);
            }
            next[sender]++;
            if (++count == expected) {
                complete.countDown();
            }
        }

        private static int indexOf(CharSequence s, char c, int from) {
            for (int i = from; i < s.length(); i++) {
                if (s.charAt(i) == c) {
                    return i;
                }
            }
            throw new AssertionError("no '" + c + "' in " + s.subSequence(0, Math.min(20, s.length())));
        }

        int count() {
            return count;
        }

        int[] nextPerSender() {
            return next.clone();
        }
    }

    /**
     * A healthy plain reader that reads as fast as it can. A bare socket and a blocking thread, not the JDK
     * client: with 200 JDK WebSockets in one HttpClient, every frame re-registers its channel with the one
     * selector thread under one lock, and that test-side bottleneck, not the server, made readers fall behind.
     */
    static void readAll(RawWebSocket socket, Tally tally, int expected) throws Exception {
        while (tally.count() < expected) {
            RawWebSocket.Frame frame = socket.read(ChatClient.WAIT);
            if (frame == null || frame.opcode() == RawWebSocket.Frame.CLOSE) {
                throw new AssertionError("healthy reader's connection ended after " + tally.count() + ": " + frame);
            }
            if (frame.opcode() == RawWebSocket.Frame.TEXT) {
                byte[] payload = frame.payload();
                tally.record(new String(payload, 0, Math.min(32, payload.length), StandardCharsets.US_ASCII), payload.length);
            }
        }
    }

    /**
     * Starts every sender on its own thread at its share of the rate, messages "{tag}{sender}:{seq}:xxx..." of
     * {@link #MESSAGE_BYTES}; returns when they started. Failures go to {@code failure}, the time the last one
     * finished to {@code lastSent}.
     */
    static long send(ExecutorService workers, List<ChatClient> senders, String tag, int perSender,
                     AtomicReference<Throwable> failure, AtomicLong lastSent) {
        String padding = "x".repeat(MESSAGE_BYTES);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * SENDERS / MESSAGES_PER_SECOND;
        long start = System.nanoTime();
        for (int s = 0; s < senders.size(); s++) {
            String prefix = tag + s + ":";
            ChatClient client = senders.get(s);
            long offset = periodNanos * s / SENDERS;
            workers.execute(() -> {
                try {
                    for (int seq = 0; seq < perSender; seq++) {
                        pace(start + offset + seq * periodNanos);
                        String head = prefix + seq + ":";
                        client.send(head + padding.substring(head.length()));
                    }
                    lastSent.accumulateAndGet(System.nanoTime(), Math::max);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        return start;
    }

    @Test
    void slowReadersAreClosedAsSlowConsumersWhileEveryHealthyReaderGetsEverything() throws Exception {
        int perSender = MESSAGES_PER_SECOND * RUN_SECONDS / SENDERS;
        int total = perSender * SENDERS;
        // The rate limit is lifted, not set to the senders' share: a sender (or the container thread reading it)
        // held up for 2 s on a machine at a load average of 97 sent its backlog in one clump, passed a burst of
        // 80, and its plain message was dropped as rate-limited ("from sender 3 expected #395, got #396").
        // 8 KiB of ASCII is allowed as one message; the outbox bound and the send timeout are the defaults.
        Map<String, String> settings = Map.of(
                "chat.rate.perSecond", String.valueOf(total),
                "chat.rate.burst", String.valueOf(total),
                "chat.text.maxLength", String.valueOf(MESSAGE_BYTES),
                // Every sender leaves from one address: its shared budget must carry them all.
                "chat.rate.perAddress", String.valueOf(total),
                "chat.rate.burstPerAddress", String.valueOf(total));
        List<RawWebSocket> slow = new ArrayList<>();
        List<RawWebSocket> healthy = new ArrayList<>();
        List<ChatClient> senders = new ArrayList<>();
        List<Tally> tallies = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        ExecutorService workers = Executors.newCachedThreadPool();
        long setupStart = System.nanoTime();
        ChatServer slowServer = start(settings);
        try {
            ServerProbe figures = new ServerProbe(slowServer);
            CountDownLatch complete = new CountDownLatch(HEALTHY + SENDERS);
            CountDownLatch warmedUp = new CountDownLatch(HEALTHY + SENDERS);
            List<Runnable> startReaders = new ArrayList<>();
            int warmUpPerSender = MESSAGES_PER_SECOND * WARM_UP_SECONDS / SENDERS;
            int warmUpTotal = warmUpPerSender * SENDERS;
            for (int i = 0; i < HEALTHY; i++) {
                RawWebSocket socket = RawWebSocket.connect(slowServer.socketUri(null), HEALTHY_RECEIVE_BUFFER);
                healthy.add(socket);
                Tally tally = new Tally(total, complete, warmUpTotal, warmedUp);
                tallies.add(tally);
                // Started once everyone is connected: a read waits 10 s for a frame, and on a busy machine the
                // set-up alone took 20 s, so the first readers timed out before any traffic.
                startReaders.add(() -> {
                    try {
                        readAll(socket, tally, total);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            for (int i = 0; i < SENDERS; i++) {
                // The senders are plain members too: they get every message, their own included.
                Tally tally = new Tally(total, complete, warmUpTotal, warmedUp);
                tallies.add(tally);
                senders.add(ChatClient.connect(slowServer.socketUri(null),
                        ChatClient.options().onFrame(frame -> tally.record(frame, frame.length()))));
            }
            figures.awaitMetric("chat_connections", n -> n == HEALTHY + SENDERS, ChatClient.WAIT);
            startReaders.forEach(workers::execute);
            AtomicLong lastSentNanos = new AtomicLong();
            send(workers, senders, WARM_UP + "", warmUpPerSender, failure, lastSentNanos);
            assertTrue(warmedUp.await(WARM_UP_SECONDS + 30, TimeUnit.SECONDS) && failure.get() == null,
                    () -> "warm-up not received: " + failure.get());
            for (int i = 0; i < SLOW; i++) {
                // A receive window of a few KiB from the first byte; then nothing is ever read.
                slow.add(RawWebSocket.connect(slowServer.socketUri(null), 4096));
            }
            figures.awaitMetric("chat_connections", n -> n == SLOW + HEALTHY + SENDERS, ChatClient.WAIT);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

            AtomicLong maxOutboxBytes = new AtomicLong();
            AtomicLong maxLargestOutboxBytes = new AtomicLong();
            AtomicLong afterSlowClosedMaxOutboxBytes = new AtomicLong();
            CountDownLatch slowClosed = new CountDownLatch(1);
            String slowCloses = "chat_closes_total{reason=\"slow_consumer\"}";
            poller.scheduleWithFixedDelay(() -> {
                try {
                    Map<String, Double> now = figures.metrics();
                    long outbox = now.get("chat_outbox_bytes").longValue();
                    maxOutboxBytes.accumulateAndGet(outbox, Math::max);
                    maxLargestOutboxBytes.accumulateAndGet(now.get("chat_outbox_largest_bytes").longValue(), Math::max);
                    if (slowClosed.getCount() == 0) {
                        afterSlowClosedMaxOutboxBytes.accumulateAndGet(outbox, Math::max);
                    }
                    if (now.get(slowCloses) >= SLOW) {
                        slowClosed.countDown();
                    }
                    if (now.get(slowCloses) > SLOW) {
                        throw new AssertionError("a healthy reader was closed too: " + closes(now));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, 0, 250, TimeUnit.MILLISECONDS);

            long runStart = send(workers, senders, "", perSender, failure, lastSentNanos);
            // Everything received, or the first failure (a reader's, a sender's, the poller's), or the deadline.
            long deadline = runStart + TimeUnit.SECONDS.toNanos(RUN_SECONDS + 30);
            while (!complete.await(250, TimeUnit.MILLISECONDS) && failure.get() == null && System.nanoTime() < deadline) {
                senders.stream().filter(c -> c.error() != null).findFirst().ifPresent(c -> failure.compareAndSet(null, c.error()));
            }
            double receiveSeconds = (System.nanoTime() - runStart) / 1e9;
            if (failure.get() != null) {
                throw new AssertionError("failed after " + receiveSeconds + " s; short:" + shortReaders(tallies, total), failure.get());
            }
            assertEquals(0, complete.getCount(), "every reader got every message; short:" + shortReaders(tallies, total));
            double sendSeconds = (lastSentNanos.get() - runStart) / 1e9;
            assertTrue(slowClosed.await(30, TimeUnit.SECONDS), "the slow readers were closed as slow consumers");

            // Now the slow readers read: what was stuck for them comes out, then the connection's end.
            List<Future<RawWebSocket.Ending>> drains = new ArrayList<>();
            for (RawWebSocket socket : slow) {
                drains.add(workers.submit(() -> socket.drain(Duration.ofSeconds(30))));
            }
            List<RawWebSocket.Ending> endings = new ArrayList<>();
            for (Future<RawWebSocket.Ending> drain : drains) {
                endings.add(drain.get(40, TimeUnit.SECONDS));
            }
            poller.shutdown();
            assertTrue(poller.awaitTermination(5, TimeUnit.SECONDS));
            Map<String, Double> end = figures.metrics();
            System.out.printf("[hardening] %s slow readers: %d healthy + %d senders + %d slow; set up in %.1f s; "
                            + "%d messages sent in %.1f s, all received after %.1f s; max chat_outbox_bytes %d "
                            + "(after the slow closes %d); closes %s; send failures %.0f%n",
                    slowServer.containerName(), HEALTHY, SENDERS, SLOW, setupSeconds, total, sendSeconds, receiveSeconds,
                    maxOutboxBytes.get(), afterSlowClosedMaxOutboxBytes.get(), closes(end), end.get("chat_send_failures_total"));
            endings.forEach(e -> System.out.printf("[hardening] %s slow reader drained: %s%n", slowServer.containerName(), e));

            assertNull(failure.get(), () -> "metrics poller failed: " + failure.get());
            for (Tally tally : tallies) {
                int[] next = tally.nextPerSender();
                for (int s = 0; s < SENDERS; s++) {
                    assertEquals(perSender, next[s], "last message of sender " + s);
                }
            }
            for (ChatClient sender : senders) {
                assertNull(sender.error());
                assertFalse(sender.isClosed(), "a sender is still connected");
            }
            assertEquals(SLOW, series(end, slowCloses), "exactly the slow readers were closed as slow consumers");
            assertEquals(HEALTHY + SENDERS, series(end, "chat_connections"));
            // The room closes an expelled session only once its send in flight settles (or the close grace
            // passes), so a reader that catches up finds the close frame after the stuck data in both containers.
            for (RawWebSocket.Ending ending : endings) {
                assertEquals(1013, ending.closeCode(), ending.toString());
                assertEquals("slow consumer", ending.close().closeReason());
            }
            // The memory backstop: no outbox ever holds more than chat.outbox.maxBytes. How much members hold at a
            // moment depends on how busy the machine is, so the totals are printed above, not asserted.
            long bound = ChatSettings.defaults().outboxMaxBytes();
            assertTrue(maxLargestOutboxBytes.get() <= bound, "no outbox above the bound: largest seen " + maxLargestOutboxBytes.get());
        } finally {
            poller.shutdownNow();
            senders.forEach(ChatClient::close);
            for (RawWebSocket socket : slow) {
                socket.close();
            }
            for (RawWebSocket socket : healthy) {
                socket.close();
            }
            workers.shutdownNow();
            slowServer.close();
        }
    }

    private static double series(Map<String, Double> metrics, String series) {
        Double value = metrics.get(series);
        assertNotNull(value, series);
        return value;
    }

    private static Map<String, Double> closes(Map<String, Double> metrics) {
        Map<String, Double> closes = new HashMap<>();
        metrics.forEach((series, value) -> {
            if (series.startsWith("chat_closes_total") && value > 0) {
                closes.put(series.substring(series.indexOf('"') + 1, series.lastIndexOf('"')), value);
            }
        });
        return closes;
    }

    private static String shortReaders(List<Tally> tallies, int total) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < tallies.size(); i++) {
            if (tallies.get(i).count() < total) {
                list.append(' ').append(i).append('=').append(tallies.get(i).count());
            }
        }
        return list.toString();
    }

    // 6. What /health and /metrics say

    @Test
    void healthAndMetricsCountExactlyWhatHappenedOnAFreshServer() {
        // Four messages at once and no more: the fifth of a quick run is rate limited.
        // Presence held back for ten minutes: the only presence frame is the first, sent at once, so the delivery
        // count is exact whatever the timing.
        try (ChatServer fresh = start(Map.of("chat.rate.perSecond", "1", "chat.rate.burst", "4",
                "chat.presence.intervalMillis", "600000"))) {
            ServerProbe figures = new ServerProbe(fresh);
            // A fresh room's ids start after its start time in microseconds (so they grow across restarts).
            long start = figures.health().getJsonNumber("lastId").longValue();
            assertTrue(start > 0, "ids start above 0");
            assertEquals(Json.createObjectBuilder().add("status", "up").add("connections", 0).add("lastId", start)
                    .add("historySize", 0).add("store", "up").build(), figures.health());
            String alice = unique("alice");
            try (ChatClient a = join(fresh, alice); ChatClient b = plain(fresh)) {
                assertEquals(1, a.next("presence").getInt("online"), "a's own arrival, at once in a quiet room");
                a.send(envelope("one", "c1"));
                a.send(envelope("two", "c2"));
                a.send(envelope("one again", "c1"));   // duplicate: a gets the original back, nobody else
                a.send(envelope("x".repeat(MAX_TEXT_LENGTH + 1), "c3")); // refused
                a.send(envelope("five", "c5"));        // the bucket is empty: rate limited
                // Refusals are answered at once; accepted messages once stored: the two kinds may interleave.
                List<JsonObject> messages = new ArrayList<>();
                List<JsonObject> errors = new ArrayList<>();
                while (messages.size() < 3 || errors.size() < 2) {
                    JsonObject envelope = a.next(e -> Set.of("message", "error").contains(e.getString("type")));
                    (envelope.getString("type").equals("message") ? messages : errors).add(envelope);
                }
                assertEquals(start + 1, messages.get(0).getJsonNumber("id").longValue());
                assertEquals(start + 2, messages.get(1).getJsonNumber("id").longValue());
                JsonObject original = messages.get(2);
                assertEquals(start + 1, original.getJsonNumber("id").longValue());
                assertEquals("one", original.getString("text"));
                assertError(errors.get(0), "too_long", "c3");
                assertError(errors.get(1), "rate_limited", "c5");
                b.send("three");
                assertEquals(List.of("one", "two", "three"), List.of(b.nextFrame(), b.nextFrame(), b.nextFrame()));
                assertEquals("three", a.next("message").getString("text"));

                try (ChatClient c = plain(fresh)) {
                    figures.awaitMetric("chat_connections", connections -> connections == 3, ChatClient.WAIT);
                    c.sendBinary(new byte[] {0});
                    assertEquals(1003, c.awaitClose().code());
                }
                figures.awaitMetric("chat_connections", connections -> connections == 2, ChatClient.WAIT);
                try (ChatClient d = plain(fresh)) {
                    figures.awaitMetric("chat_connections", connections -> connections == 3, ChatClient.WAIT);
                    d.send("z".repeat(MAX_MESSAGE_BYTES + 1));
                    assertEquals(1009, d.awaitClose().code());
                }
                figures.awaitMetric("chat_connections", connections -> connections == 2, ChatClient.WAIT);

                assertEquals(Json.createObjectBuilder().add("status", "up").add("connections", 2).add("lastId", start + 3)
                        .add("historySize", 3).add("store", "up").build(), figures.health());
                // Every queued frame has been received; the outbox gauge follows once the sends' completions run.
                figures.awaitMetric("chat_outbox_bytes", bytes -> bytes == 0, ChatClient.WAIT);
                Map<String, Double> expected = new HashMap<>();
                expected.put("chat_connections", 2.0);
                expected.put("chat_history_size", 3.0);
                expected.put("chat_outbox_bytes", 0.0);
                expected.put("chat_messages_received_total", 6.0);   // five from a, one from b; binary and oversize never reach the room
                expected.put("chat_messages_accepted_total", 3.0);
                expected.put("chat_messages_refused_total", 1.0);
                expected.put("chat_messages_rate_limited_total", 1.0);
                expected.put("chat_messages_duplicate_total", 1.0);
                expected.put("chat_send_failures_total", 0.0);
                // To a: its own arrival's presence frame; the arrivals and departures of b, c and d are held back
                // (plain members get no presence); to a and b: three messages.
                expected.put("chat_deliveries_total", 1.0 + 3 * 2);
                for (String reason : List.of("slow_consumer", "send_failed", "rate_abuse", "idle")) {
                    expected.put("chat_closes_total{reason=\"" + reason + "\"}", 0.0);
                }
                expected.put("chat_closes_total{reason=\"binary\"}", 1.0);
                expected.put("chat_closes_total{reason=\"too_big\"}", 1.0);
                Map<String, Double> actual = new HashMap<>(figures.metrics());
                actual.keySet().retainAll(expected.keySet());
                assertEquals(expected, actual);
            }
        }
    }
}
