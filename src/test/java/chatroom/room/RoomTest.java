package chatroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.ChatSettings;
import chatroom.connection.FakePeer;
import chatroom.connection.FakeRemote;
import chatroom.log.MemoryLog;
import chatroom.nickname.NicknameForm;
import chatroom.wire.Protocol;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The room without a container: members over fake remotes, the in-memory log, a clock moved by hand, and closes
 * run inline. What the container tests show end to end, here one interleaving at a time.
 */
class RoomTest {
    private static final long FIRST = 1000; // the log's ids start after this one
    private static final long PRESENCE_INTERVAL_MILLIS = 1000; // the default
    /** The close code of a peer that went the ordinary way. */
    private static final int NORMAL_CLOSE = 1000;

    private final ManualClock clock = new ManualClock();
    private final ExecutorService completions = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "fake-completions");
        thread.setDaemon(true);
        return thread;
    });
    private final List<FakeRemote> remotes = new ArrayList<>();
    private Rooms rooms;
    private Room room;
    private Housekeeping housekeeping;

    @AfterEach
    void checkEverySend() {
        completions.shutdownNow();
        for (FakeRemote remote : remotes) {
            assertNull(remote.violation.get());
            assertTrue(remote.maxInFlight() <= 1);
        }
    }

    private Room room(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(overrides);
        ChatSettings settings = ChatSettings.read(values::get);
        MemoryLog log = new MemoryLog(settings.historySize(), FIRST);
        rooms = new Rooms(settings, log, clock, Runnable::run, FanOut.inline());
        log.start(rooms);
        room = rooms.defaultRoom();
        housekeeping = new Housekeeping(rooms, settings, clock);
        return room;
    }

    private FakePeer peer(FakeRemote.Mode mode) {
        FakeRemote remote = new FakeRemote(completions);
        remote.mode = mode;
        remotes.add(remote);
        return new FakePeer(remote);
    }

    private static String envelope(String text, String cid) {
        return Json.createObjectBuilder().add("type", "message").add("text", text).add("cid", cid).build().toString();
    }

    /** Every JSON line sent so far (a coalesced frame holds several). */
    private static List<JsonObject> received(FakePeer peer) {
        List<JsonObject> objects = new ArrayList<>();
        for (String frame : peer.remote.drain()) {
            objects.addAll(lines(frame));
        }
        return objects;
    }

    private static List<JsonObject> lines(String frame) {
        return Arrays.stream(frame.split("\n"))
                .map(line -> Json.createReader(new StringReader(line)).readObject()).toList();
    }

    private static List<JsonObject> ofType(List<JsonObject> objects, String type) {
        return objects.stream().filter(object -> type.equals(object.getString("type"))).toList();
    }

    private static List<Long> ids(List<JsonObject> objects) {
        return ofType(objects, "message").stream().map(object -> object.getJsonNumber("id").longValue()).toList();
    }

    @Test
    void everyMemberGetsEachMessageOnceInIdOrderInItsOwnProtocol() {
        room(Map.of());
        FakePeer alicePeer = peer(FakeRemote.Mode.INLINE);
        FakePeer bobPeer = peer(FakeRemote.Mode.INLINE);
        Member alice = room.join(alicePeer, Protocol.CHAT_V1, "alice", null);
        Member bob = room.join(bobPeer, Protocol.PLAIN, "bob", null);
        room.receive(alice, envelope("hi", "c-1"));
        room.receive(bob, "yo");

        List<JsonObject> toAlice = received(alicePeer);
        // Alice's own arrival went out at once (a quiet room); bob's, within the same interval, waits for it.
        assertEquals(List.of("welcome", "presence", "message", "message"), toAlice.stream()
                .map(o -> o.getString("type")).toList());
        assertEquals(FIRST, toAlice.get(0).getJsonNumber("lastId").longValue());
        assertEquals(1, toAlice.get(0).getInt("online"));
        assertEquals(List.of("alice"), names(toAlice.get(1), "joined"));
        assertEquals(List.of(FIRST + 1, FIRST + 2), ids(toAlice));
        assertEquals("c-1", toAlice.get(2).getString("cid"));
        assertEquals("bob", toAlice.get(3).getString("from"));
        assertEquals(List.of("hi", "yo"), bobPeer.remote.drain(), "plain: the texts, nothing else");
        assertEquals(FIRST + 2, room.lastId());
        assertEquals(2, rooms.counters().accepted().sum());
        assertEquals(1 + 2 * 2, rooms.counters().deliveries().sum(), "alice's arrival to alice; two messages to both");

        clock.advance(PRESENCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        room.publishPresence();
        JsonObject bobArrived = received(alicePeer).get(0);
        assertEquals(List.of("bob"), names(bobArrived, "joined"));
        assertEquals(2, bobArrived.getInt("online"));
        assertEquals(List.of(), bobPeer.remote.drain(), "plain members hear no presence");
    }

    private static List<String> names(JsonObject presence, String key) {
        return presence.getJsonArray(key).getValuesAs(jakarta.json.JsonString::getString);
    }

    @Test
    void aThousandArrivalsWithinOneIntervalReachEachMemberAsAtMostOneFramePerIntervalWithTheExactCount() {
        room(Map.of());
        List<FakePeer> watchers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FakePeer watcher = peer(FakeRemote.Mode.INLINE);
            watchers.add(watcher);
            room.join(watcher, Protocol.CHAT_V1, "watcher" + i, null);
        }
        FakePeer plain = peer(FakeRemote.Mode.INLINE);
        room.join(plain, Protocol.PLAIN, "plainwatcher", null);
        clock.advance(PRESENCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        room.publishPresence();
        watchers.forEach(RoomTest::received);
        clock.advance(PRESENCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS); // a quiet interval

        // 1,000 arrivals (half named, half guests) in 0.9 s, the timer ticking between them as it would.
        List<Member> arrivals = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            arrivals.add(room.join(peer(FakeRemote.Mode.INLINE), Protocol.CHAT_V1, i % 2 == 0 ? "user" + i
                    : null, null));
            clock.advance(900, TimeUnit.MICROSECONDS);
            room.publishPresence();
        }
        for (FakePeer watcher : watchers) {
            List<JsonObject> frames = ofType(received(watcher), "presence");
            assertEquals(1, frames.size(), "the first arrival at once, the rest held back: " + frames);
            assertEquals(5, frames.get(0).getInt("online"));
            assertEquals(List.of("user0"), names(frames.get(0), "joined"));
        }
        clock.advance(100, TimeUnit.MILLISECONDS);
        room.publishPresence();
        for (FakePeer watcher : watchers) {
            List<JsonObject> frames = ofType(received(watcher), "presence");
            assertEquals(1, frames.size(), frames.toString());
            JsonObject digest = frames.get(0);
            assertEquals(4 + 1000, digest.getInt("online"), "the exact count, guests included");
            assertEquals(PresenceDigest.MAX_NAMES, names(digest, "joined").size());
            assertEquals(499 - PresenceDigest.MAX_NAMES, digest.getInt("joinedMore"), "named arrivals not listed");
            assertFalse(names(digest, "joined").stream().anyMatch(name -> name.startsWith(NicknameForm.GUEST_PREFIX)));
        }

        // All of them leave again, and one named user comes and goes within the interval: one frame, last states.
        arrivals.forEach(member -> room.leave(member, NORMAL_CLOSE));
        Member flicker = room.join(peer(FakeRemote.Mode.INLINE), Protocol.CHAT_V1, "flicker", null);
        room.leave(flicker, NORMAL_CLOSE);
        room.publishPresence();
        for (FakePeer watcher : watchers) {
            assertEquals(List.of(), ofType(received(watcher), "presence"), "the interval has not passed");
        }
        clock.advance(PRESENCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        room.publishPresence();
        room.publishPresence();
        for (FakePeer watcher : watchers) {
            List<JsonObject> frames = ofType(received(watcher), "presence");
            assertEquals(1, frames.size(), frames.toString());
            assertEquals(4, frames.get(0).getInt("online"));
            assertEquals(List.of(), names(frames.get(0), "joined"), "flicker came and went: not joined");
            assertEquals(501, names(frames.get(0), "left").size() + frames.get(0).getInt("leftMore"),
                    "the 500 named arrivals and flicker, whose last state is gone");
        }
        assertEquals(List.of(), plain.remote.drain(), "plain members hear no presence");
    }

    @Test
    void aMemberWelcomedBetweenADepartureAndAReturnWithinOneIntervalLearnsOfTheReturn() {
        room(Map.of());
        FakePeer watcher = peer(FakeRemote.Mode.INLINE);
        room.join(watcher, Protocol.CHAT_V1, "watcher", null);
        Member bob = room.join(peer(FakeRemote.Mode.INLINE), Protocol.CHAT_V1, "bob", null);
        clock.advance(PRESENCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        room.publishPresence(); // bob's arrival went out: the next changes are held for an interval
        received(watcher);

        room.leave(bob, NORMAL_CLOSE);
        FakePeer carol = peer(FakeRemote.Mode.INLINE);
        room.join(carol, Protocol.CHAT_V1, "carol", null);
        JsonObject welcome = ofType(received(carol), "welcome").get(0);
        assertFalse(names(welcome, "users").contains("bob"), "carol's welcome: bob is away");
        room.join(peer(FakeRemote.Mode.INLINE), Protocol.CHAT_V1, "bob", null);
        clock.advance(PRESENCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        room.publishPresence();

        JsonObject toCarol = ofType(received(carol), "presence").get(0);
        assertTrue(names(toCarol, "joined").contains("bob"), "bob is back for carol: " + toCarol);
        JsonObject toWatcher = ofType(received(watcher), "presence").get(0);
        assertEquals(toCarol, toWatcher, "one frame for everyone; to the watcher, bob joining again changes nothing");
        assertEquals(3, toCarol.getInt("online"));
    }

    @Test
    void otherNodesUsersCountOnceAndAppearInOneSortedList() {
        room(Map.of());
        FakePeer alice = peer(FakeRemote.Mode.INLINE);
        room.join(alice, Protocol.CHAT_V1, "alice", null);
        received(alice);
        clock.advance(PRESENCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        // Another node holds alice too (a second tab there), bob, and two guests.
        room.remoteUsers(java.util.Set.of("alice", "bob", "guest-1", "guest-2"));
        JsonObject change = ofType(received(alice), "presence").get(0);
        assertEquals(4, change.getInt("online"), "alice once, bob, two guests");
        assertEquals(List.of("bob"), names(change, "joined"));
        FakePeer late = peer(FakeRemote.Mode.INLINE);
        room.join(late, Protocol.CHAT_V1, "carol", null);
        JsonObject welcome = received(late).get(0);
        assertEquals(5, welcome.getInt("online"));
        assertEquals(List.of("alice", "bob", "carol"), names(welcome, "users"));
    }

    @Test
    void theWelcomeCarriesTheExactCountAndABoundedListOfNames() {
        room(Map.of());
        for (int i = 0; i < 300; i++) {
            room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, i % 3 == 0 ? null
                    : String.format("n%03d", i), null);
        }
        FakePeer late = peer(FakeRemote.Mode.INLINE);
        room.join(late, Protocol.CHAT_V1, "zlate", null);
        JsonObject welcome = received(late).get(0);
        assertEquals(301, welcome.getInt("online"));
        List<String> users = names(welcome, "users");
        assertEquals(Room.WELCOME_NAMES, users.size());
        assertEquals("n001", users.get(0), "sorted, guests not named");
    }

    @Test
    void aRetriedCidGivesTheSenderItsOriginalAndNobodyElseAnything() {
        room(Map.of());
        FakePeer alicePeer = peer(FakeRemote.Mode.INLINE);
        FakePeer bobPeer = peer(FakeRemote.Mode.INLINE);
        Member alice = room.join(alicePeer, Protocol.CHAT_V1, "alice", null);
        room.join(bobPeer, Protocol.PLAIN, "bob", null);
        room.receive(alice, envelope("once", "c-1"));
        received(alicePeer);
        bobPeer.remote.drain();

        room.receive(alice, envelope("once", "c-1"));
        List<JsonObject> again = received(alicePeer);
        assertEquals(List.of(FIRST + 1), ids(again));
        assertEquals(List.of(), bobPeer.remote.drain());
        assertEquals(1, rooms.counters().duplicates().sum());
        assertEquals(FIRST + 1, room.lastId());
    }

    @Test
    void aMemberPastTheByteBoundIsClosedWith1013AfterItsSendInFlightWhileOthersCarryOn() throws InterruptedException {
        room(Map.of("outbox.maxBytes", "1024", "text.maxLength", "512"));
        FakePeer slowPeer = peer(FakeRemote.Mode.NEVER);
        FakePeer healthyPeer = peer(FakeRemote.Mode.INLINE);
        Member sender = room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, "sender", null);
        Member slow = room.join(slowPeer, Protocol.PLAIN, "slow", null);
        room.join(healthyPeer, Protocol.PLAIN, "healthy", null);
        List<String> texts = IntStream.rangeClosed(1, 4).mapToObj(i -> i + "x".repeat(511)).toList();

        room.receive(sender, texts.get(0)); // in flight to slow, never completed
        room.receive(sender, texts.get(1)); // queued: in flight + queued = the 1024-byte bound
        assertTrue(room.isMember(slow));
        room.receive(sender, texts.get(2)); // past the bound
        assertFalse(room.isMember(slow));
        assertFalse(slowPeer.closed(), "the close waits for the send in flight");
        room.receive(sender, texts.get(3));
        assertEquals(texts, healthyPeer.remote.drain());

        slowPeer.remote.completeHeld();
        CloseReason reason = slowPeer.awaitClose();
        assertEquals(1013, reason.getCloseCode().getCode());
        assertEquals("slow consumer", reason.getReasonPhrase());
        assertEquals(texts.subList(0, 1), slowPeer.remote.drain(),
                "what was queued behind the send in flight is dropped");
        assertEquals(1, rooms.counters().expulsions(Expulsion.SLOW_CONSUMER).sum());
        assertFalse(healthyPeer.closed());
    }

    @Test
    void aMemberThatKeepsReadingIsNeverClosedHoweverLongItsBacklogLasts() throws InterruptedException {
        room(Map.of("send.timeoutMillis", "10000", "rate.perSecond", "100000", "rate.burst", "100000",
                "idle.timeoutMillis", "0", "ping.intervalMillis", "0"));
        FakePeer readerPeer = peer(FakeRemote.Mode.NEVER);
        Member sender = room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, "sender", null);
        Member reader = room.join(readerPeer, Protocol.PLAIN, "reader", null);
        int burst = 3000; // three times the old 1000-frame bound, queued at once
        for (int i = 0; i < burst; i++) {
            room.receive(sender, "m" + i);
        }
        // It takes one frame every 9 s: the backlog lasts 7.5 hours of the clock, yet no send ever stalls 10 s.
        assertEquals("m0", readerPeer.remote.next());
        for (int i = 0; i < burst; i++) {
            clock.advance(9, TimeUnit.SECONDS);
            housekeeping.run();
            assertTrue(room.isMember(reader), "still a member after " + i + " frames");
            readerPeer.remote.completeHeld();
            if (i + 1 < burst) {
                assertEquals("m" + (i + 1), readerPeer.remote.next()); // the next send has started: the clock may move
            }
        }
        assertEquals(0, rooms.counters().expulsions(Expulsion.SLOW_CONSUMER).sum());
        assertFalse(readerPeer.closed());
    }

    @Test
    void aFailedSendClosesThatMemberOnly() throws InterruptedException {
        room(Map.of());
        FakePeer failingPeer = peer(FakeRemote.Mode.FAIL);
        FakePeer otherPeer = peer(FakeRemote.Mode.LATER);
        Member sender = room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, "sender", null);
        Member failing = room.join(failingPeer, Protocol.PLAIN, "failing", null);
        room.join(otherPeer, Protocol.PLAIN, "other", null);

        room.receive(sender, "one");
        assertEquals(1011, failingPeer.awaitClose().getCloseCode().getCode());
        assertFalse(room.isMember(failing));
        room.receive(sender, "two");
        assertEquals("one", otherPeer.remote.next());
        assertEquals("two", otherPeer.remote.next());
        assertEquals(1, rooms.counters().sendFailures().sum());
        assertEquals(1, rooms.counters().expulsions(Expulsion.SEND_FAILED).sum());
        assertFalse(otherPeer.closed());
        assertEquals(2, room.connections());
    }

    /** A room with a 10 s send timeout and a 30 s close grace; "hello" in flight to the member, never completed. */
    private Member stuckAfterHello(FakePeer stuckPeer) {
        room(Map.of("send.timeoutMillis", "10000", "close.graceMillis", "30000"));
        Member sender = room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, "sender", null);
        Member stuck = room.join(stuckPeer, Protocol.PLAIN, "stuck", null);
        room.receive(sender, "hello");
        return stuck;
    }

    @Test
    void aSendStalledPastTheTimeoutExpelsTheMemberWhoseCloseFollowsTheDataIfItReadsOnWithinTheGrace()
            throws InterruptedException {
        FakePeer stuckPeer = peer(FakeRemote.Mode.NEVER);
        Member stuck = stuckAfterHello(stuckPeer);

        clock.advance(10, TimeUnit.SECONDS);
        housekeeping.run();
        assertTrue(room.isMember(stuck), "not past the timeout yet");
        clock.advance(1, TimeUnit.MILLISECONDS);
        housekeeping.run();
        assertFalse(room.isMember(stuck));
        clock.advance(29, TimeUnit.SECONDS);
        housekeeping.run();
        assertFalse(stuckPeer.closed(), "within the grace: still waiting on its send in flight");
        stuckPeer.remote.completeHeld(); // it reads on: the close frame goes out behind "hello"
        CloseReason reason = stuckPeer.awaitClose();
        assertEquals(1013, reason.getCloseCode().getCode());
        assertEquals("slow consumer", reason.getReasonPhrase());
        assertEquals(1, rooms.counters().expulsions(Expulsion.SLOW_CONSUMER).sum());
        housekeeping.run();
        assertTrue(room.closings().isEmpty());
    }

    @Test
    void aStalledMemberThatNeverReadsOnIsClosedOnceTheGraceHasPassed() throws InterruptedException {
        FakePeer stuckPeer = peer(FakeRemote.Mode.NEVER);
        Member stuck = stuckAfterHello(stuckPeer);

        clock.advance(10_001, TimeUnit.MILLISECONDS);
        housekeeping.run();
        assertFalse(room.isMember(stuck));
        clock.advance(30, TimeUnit.SECONDS);
        housekeeping.run();
        assertFalse(stuckPeer.closed(), "not past the grace yet");
        clock.advance(1, TimeUnit.MILLISECONDS);
        housekeeping.run(); // the send stays stalled: stop waiting for it
        assertEquals(1013, stuckPeer.awaitClose().getCloseCode().getCode());
        assertTrue(room.closings().isEmpty());
    }

    /**
     * A reader the room keeps sending to is not pinged: its socket buffer may be full (the send that filled it
     * completed), and the containers' blocking ping would then wait, and Tomcat drop the connection after a second
     * without a close frame. It is not closed as idle either: the sends it takes are its sign of life. Once the room
     * goes quiet for the send timeout, pings resume.
     */
    @Test
    void aReaderTheRoomKeepsSendingToIsNotPingedNorClosedAsIdle() {
        room(Map.of("ping.intervalMillis", "25000", "idle.timeoutMillis", "60000", "send.timeoutMillis", "10000"));
        FakePeer senderPeer = peer(FakeRemote.Mode.INLINE);
        FakePeer readerPeer = peer(FakeRemote.Mode.INLINE);
        Member sender = room.join(senderPeer, Protocol.PLAIN, "sender", null);
        Member reader = room.join(readerPeer, Protocol.PLAIN, "reader", null);

        for (int second = 5; second <= 120; second += 5) {
            clock.advance(5, TimeUnit.SECONDS);
            room.receive(sender, "at " + second + " s");
            housekeeping.run();
        }
        assertEquals(0, readerPeer.pings.get(), "pinged while the room was sending to it");
        assertTrue(room.isMember(reader), "closed as idle although it took every message");

        clock.advance(25, TimeUnit.SECONDS); // quiet since 120 s: past the send timeout, and a ping is due
        housekeeping.run();
        assertEquals(1, readerPeer.pings.get());
        assertTrue(room.isMember(sender));
    }

    @Test
    void idleConnectionsArePingedAndASilentPeerIsClosedWith1001() throws InterruptedException {
        room(Map.of("ping.intervalMillis", "25000", "idle.timeoutMillis", "60000"));
        FakePeer quietPeer = peer(FakeRemote.Mode.INLINE);
        FakePeer livelyPeer = peer(FakeRemote.Mode.INLINE);
        Member quiet = room.join(quietPeer, Protocol.PLAIN, "quiet", null);
        Member lively = room.join(livelyPeer, Protocol.PLAIN, "lively", null);

        clock.advance(24, TimeUnit.SECONDS);
        housekeeping.run();
        assertEquals(0, quietPeer.pings.get());
        clock.advance(1, TimeUnit.SECONDS);
        housekeeping.run();
        assertEquals(1, quietPeer.pings.get());
        assertEquals(1, livelyPeer.pings.get());
        room.pong(lively);
        clock.advance(35, TimeUnit.SECONDS);
        housekeeping.run();
        assertTrue(room.isMember(quiet), "60 s exactly is not past the timeout");
        clock.advance(1, TimeUnit.SECONDS);
        housekeeping.run();
        assertFalse(room.isMember(quiet));
        CloseReason reason = quietPeer.awaitClose();
        assertEquals(1001, reason.getCloseCode().getCode());
        assertEquals("idle timeout", reason.getReasonPhrase());
        assertTrue(room.isMember(lively), "its pong counts as a sign of life");
    }

    @Test
    void theRateLimitRefusesPastTheBurstAndClosesSustainedAbuseWith1008() throws InterruptedException {
        room(Map.of("rate.perSecond", "1", "rate.burst", "2"));
        FakePeer peer = peer(FakeRemote.Mode.INLINE);
        Member flooder = room.join(peer, Protocol.CHAT_V1, "flooder", null);
        received(peer);
        room.receive(flooder, envelope("a", "c-a"));
        room.receive(flooder, envelope("b", "c-b"));
        room.receive(flooder, envelope("c", "c-c"));
        List<JsonObject> answers = received(peer);
        assertEquals(2, ids(answers).size());
        JsonObject refused = ofType(answers, "error").get(0);
        assertEquals("rate_limited", refused.getString("code"));
        assertEquals("c-c", refused.getString("cid"));

        int sent = 0;
        while (room.isMember(flooder) && sent < 200) { // five times the rate: closed after about five seconds
            clock.advance(200, TimeUnit.MILLISECONDS);
            room.receive(flooder, envelope("spam", "c-" + sent++));
        }
        assertFalse(room.isMember(flooder));
        assertTrue(sent > 15 && sent < 60, "closed after " + sent + " messages");
        assertEquals(1008, peer.awaitClose().getCloseCode().getCode());
        assertEquals(1, rooms.counters().expulsions(Expulsion.RATE_ABUSE).sum());
    }

    @Test
    void aResumingMemberGetsWhatItMissedBeforeAnyLiveMessage() {
        room(Map.of());
        Member sender = room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, "sender", null);
        for (String text : List.of("one", "two", "three")) {
            room.receive(sender, text);
        }
        FakePeer peer = peer(FakeRemote.Mode.INLINE);
        room.join(peer, Protocol.CHAT_V1, "back", Long.toString(FIRST + 1));
        room.receive(sender, "four");
        List<JsonObject> got = received(peer);
        assertEquals("welcome", got.get(0).getString("type"));
        assertEquals(FIRST + 3, got.get(0).getJsonNumber("lastId").longValue());
        assertEquals(List.of(FIRST + 2, FIRST + 3, FIRST + 4), ids(got));
        assertEquals(List.of(), ofType(got, "reset"));
    }

    @Test
    void aResumeFromBeforeTheRetainedHistoryGetsResetThenAllThatIsRetained() {
        room(Map.of("history.size", "3"));
        Member sender = room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, "sender", null);
        for (int i = 1; i <= 5; i++) {
            room.receive(sender, "m" + i);
        }
        FakePeer peer = peer(FakeRemote.Mode.INLINE);
        room.join(peer, Protocol.CHAT_V1, "late", Long.toString(FIRST + 1));
        List<JsonObject> got = received(peer);
        assertEquals(List.of("welcome", "reset", "message", "message", "message"),
                got.stream().map(o -> o.getString("type")).toList());
        assertEquals(List.of(FIRST + 3, FIRST + 4, FIRST + 5), ids(got));
    }

    @Test
    void aResumeIsBoundedInBytesAndSaysSoWithAResetBeforeTheNewestThatFit() {
        room(Map.of("history.size", "100", "replay.maxBytes", "65536", "text.maxLength", "5000",
                "message.maxBytes", "8192"));
        Member sender = room.join(peer(FakeRemote.Mode.INLINE), Protocol.PLAIN, "sender", null);
        String long4k = "x".repeat(4000);
        for (int i = 1; i <= 40; i++) { // 40 x ~4 KB = 160 KB retained, far past the 64 KiB bound
            room.receive(sender, i + long4k);
        }
        FakePeer peer = peer(FakeRemote.Mode.INLINE);
        room.join(peer, Protocol.CHAT_V1, "back", Long.toString(FIRST));
        List<JsonObject> got = received(peer);
        List<Long> ids = ids(got);
        assertEquals(List.of("welcome", "reset"), got.subList(0, 2).stream().map(o -> o.getString("type")).toList());
        assertTrue(ids.size() >= 14 && ids.size() <= 16, "about 64 KiB of 4 KB messages: " + ids.size());
        assertEquals(FIRST + 40, ids.get(ids.size() - 1), "the newest are the ones kept");
        assertEquals(LongStream.rangeClosed(FIRST + 41 - ids.size(), FIRST + 40).boxed().toList(), ids,
                "no gap among them");

        FakePeer near = peer(FakeRemote.Mode.INLINE);
        room.join(near, Protocol.CHAT_V1, "near", Long.toString(FIRST + 35));
        List<JsonObject> recent = received(near);
        assertEquals(List.of(), ofType(recent, "reset"), "what fits is replayed whole, with no reset");
        assertEquals(List.of(FIRST + 36, FIRST + 37, FIRST + 38, FIRST + 39, FIRST + 40), ids(recent));
    }

    @Test
    void membersJoiningDuringABroadcastGetEveryLaterMessageOnceAndInOrder() throws Exception {
        room(Map.of("history.size", "5000", "outbox.maxBytes", "100000000",
                "rate.perSecond", "1000000", "rate.burst", "1000000"));
        Member sender = room.join(peer(FakeRemote.Mode.LATER), Protocol.PLAIN, "sender", null);
        int messages = 2000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sending = new Thread(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    room.receive(sender, "m" + i);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "sender");
        sending.start();
        Map<FakePeer, Long> joined = new HashMap<>();
        for (int i = 0; i < 20 && sending.isAlive(); i++) {
            long since = Math.max(FIRST, room.lastId() - 5); // a little behind, as a reconnecting page is
            FakePeer peer = peer(FakeRemote.Mode.LATER);
            room.join(peer, Protocol.CHAT_V1, "reader" + i, Long.toString(since));
            joined.put(peer, since);
        }
        sending.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(sending.isAlive(), "the sender finished");
        assertNull(failure.get());
        long last = FIRST + messages;
        Map<FakePeer, List<Long>> received = new HashMap<>();
        joined.keySet().forEach(peer -> received.put(peer, new ArrayList<>()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // the backlog drains on two fake threads
        List<FakePeer> pending = new ArrayList<>(joined.keySet());
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (FakePeer peer : List.copyOf(pending)) {
                List<Long> ids = received.get(peer);
                for (String frame : peer.remote.drain()) {
                    ids.addAll(ids(lines(frame)));
                }
                if (!ids.isEmpty() && ids.get(ids.size() - 1) == last) {
                    pending.remove(peer);
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a bounded poll, as Awaitility's
        }
        for (Map.Entry<FakePeer, Long> entry : joined.entrySet()) {
            List<Long> ids = received.get(entry.getKey());
            long since = entry.getValue();
            assertEquals(last - since, ids.size(), "every message after " + since + " once");
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(since + 1 + i, ids.get(i), "no gap, no duplicate, in order");
            }
        }
        assertFalse(joined.isEmpty());
    }
}
