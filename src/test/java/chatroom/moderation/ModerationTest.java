package chatroom.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.ChatSettings;
import chatroom.connection.FakePeer;
import chatroom.connection.FakeRemote;
import chatroom.log.MemoryLog;
import chatroom.room.FanOut;
import chatroom.room.ManualClock;
import chatroom.room.Member;
import chatroom.room.Room;
import chatroom.room.Rooms;
import chatroom.room.Visitor;
import chatroom.store.EmbeddedDatabase;
import chatroom.store.MessageStore;
import chatroom.wire.Protocol;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moderation over real rooms without a container: members over fake remotes, the in-memory log, a clock moved by
 * hand. What ModerationIT shows end to end on both containers, here one step at a time.
 */
class ModerationTest {
    private static final long FIRST = 1000;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final ExecutorService completions = Executors.newFixedThreadPool(2);
    private Moderation moderation;
    private MemoryLog log;
    private Rooms rooms;
    private Room room;

    @AfterEach
    void stop() {
        completions.shutdownNow();
        if (moderation != null) {
            moderation.close();
        }
    }

    private void start(DataSource dataSource, boolean guestsMayPost) {
        ChatSettings settings = ChatSettings.read(name -> null);
        log = new MemoryLog(settings.historySize(), FIRST);
        moderation = Moderation.create(clock, dataSource, null, guestsMayPost, settings.historySize());
        rooms = new Rooms(settings, log, clock, Runnable::run, FanOut.inline(), moderation);
        moderation.start(rooms, log);
        log.start(rooms);
        room = rooms.defaultRoom();
    }

    private FakePeer peer() {
        return new FakePeer(new FakeRemote(completions));
    }

    private Member join(FakePeer peer, String user, boolean signedIn, boolean moderator, String client) {
        return room.join(peer, Protocol.CHAT_V1, new Visitor(user, signedIn, moderator, client), null);
    }

    private static List<JsonObject> received(FakePeer peer) {
        List<JsonObject> objects = new ArrayList<>();
        for (String frame : peer.remote.drain()) {
            Arrays.stream(frame.split("\n"))
                    .map(line -> Json.createReader(new StringReader(line)).readObject()).forEach(objects::add);
        }
        return objects;
    }

    private static List<JsonObject> ofType(List<JsonObject> objects, String type) {
        return objects.stream().filter(object -> type.equals(object.getString("type"))).toList();
    }

    private static String post(String text) {
        return Json.createObjectBuilder().add("type", "message").add("text", text).build().toString();
    }

    @Test
    void aDeletedMessageLeavesEveryPageAndEveryResume() throws Exception {
        start(null, true);
        FakePeer alicePeer = peer();
        Member alice = join(alicePeer, "alice", false, false, "10.0.0.1");
        room.receive(alice, post("spam"));
        room.receive(alice, post("fine"));
        received(alicePeer);

        moderation.delete("mod", "general", FIRST + 1);

        assertEquals(List.of(FIRST + 1L), ofType(received(alicePeer), "deleted").stream()
                .map(o -> o.getJsonNumber("id").longValue()).toList());
        assertEquals(List.of("fine"), log.retainedAfter("general", 0).messages().stream()
                .map(m -> m.text()).toList(), "gone from what resumes and new pages get");
        moderation.delete("mod", "general", FIRST + 1); // twice: fine
        Moderation.Problem unknown = assertThrows(Moderation.Problem.class,
                () -> moderation.delete("mod", "general", FIRST + 99));
        assertEquals(404, unknown.status());
        assertEquals("delete", moderation.audit(null, 10).get(0).kind().name().toLowerCase());
    }

    @Test
    void aKickClosesEveryConnectionOfThatPersonWith4001AfterSayingWhy() throws Exception {
        start(null, true);
        FakePeer bobPeer = peer();
        FakePeer bobTab = peer();
        join(bobPeer, "bob", false, false, "10.0.0.2");
        join(bobTab, "Bob", false, false, "10.0.0.2");
        received(bobPeer);
        received(bobTab);

        moderation.kick("mod", "bob", "calm down");

        for (FakePeer peer : List.of(bobPeer, bobTab)) {
            CloseReason close = peer.awaitClose();
            assertEquals(4001, close.getCloseCode().getCode());
            assertEquals("kicked: calm down", close.getReasonPhrase());
            JsonObject lastWord = ofType(received(peer), "kicked").get(0);
            assertEquals("calm down", lastWord.getString("reason"));
        }
        assertEquals(404, assertThrows(Moderation.Problem.class,
                () -> moderation.kick("mod", "bob", null)).status(), "nobody called bob is online any more");
    }

    @Test
    void moderatorsAreNeitherKickedMutedNorBanned() {
        start(null, true);
        join(peer(), "boss", true, true, "10.0.0.3");
        assertEquals(403, assertThrows(Moderation.Problem.class,
                () -> moderation.kick("mod", "boss", null)).status());
        assertEquals(403, assertThrows(Moderation.Problem.class,
                () -> moderation.ban("mod", "boss", null, null, true)).status());
        assertEquals(403, assertThrows(Moderation.Problem.class,
                () -> moderation.mute("mod", "mod", 5, null)).status(), "nor themselves");
    }

    @Test
    void aMutedPersonReadsButTheirPostsAreRefusedUntilTheMuteEnds() throws Exception {
        start(null, true);
        FakePeer bobPeer = peer();
        Member bob = join(bobPeer, "bob", false, false, "10.0.0.2");
        received(bobPeer);

        long until = moderation.mute("mod", "bob", 10, "cool off");
        JsonObject notice = ofType(received(bobPeer), "muted").get(0);
        assertEquals(until, notice.getJsonNumber("until").longValue());
        room.receive(bob, post("still here"));
        JsonObject error = ofType(received(bobPeer), "error").get(0);
        assertEquals("muted", error.getString("code"));
        assertEquals(until, error.getJsonNumber("until").longValue());
        assertEquals(FIRST, room.lastId(), "nothing posted");

        FakePeer later = peer();
        join(later, "BOB", false, false, "10.0.0.2");
        assertEquals(until, ofType(received(later), "welcome").get(0).getJsonNumber("mutedUntil").longValue());

        clock.advance(10, TimeUnit.MINUTES);
        room.receive(bob, post("back"));
        assertEquals(FIRST + 1, room.lastId(), "the mute ended");
        moderation.mute("mod", "bob", 10, null);
        moderation.unmute("mod", "bob");
        room.receive(bob, post("unmuted"));
        assertEquals(FIRST + 2, room.lastId());
    }

    @Test
    void aBanClosesWith4003KeepsTheNameAndLookAlikesOutAndIsLifted() throws Exception {
        start(null, true);
        FakePeer bobPeer = peer();
        join(bobPeer, "bob", false, false, "10.0.0.2");
        received(bobPeer);

        String id = moderation.ban("mod", "bob", 60, "spam", false);

        assertEquals(4003, bobPeer.awaitClose().getCloseCode().getCode());
        JsonObject banned = ofType(received(bobPeer), "banned").get(0);
        assertEquals(clock.millis() + 60 * 60_000L, banned.getJsonNumber("until").longValue());
        FakePeer again = peer();
        join(again, "b\u043Eb", false, false, "10.0.0.9"); // Cyrillic o: a look-alike
        assertEquals(4003, again.awaitClose().getCloseCode().getCode());
        assertEquals(Moderation.NameVerdict.BANNED, moderation.claim("BOB", "10.0.0.9"));
        assertNull(moderation.claim("bobby", "10.0.0.2"), "not by address: another name from there is fine");
        assertEquals(1, moderation.bans().size());

        moderation.lift("mod", id);
        assertNull(moderation.claim("bob", "10.0.0.9"));
        assertTrue(moderation.bans().isEmpty());
        assertEquals(404, assertThrows(Moderation.Problem.class, () -> moderation.lift("mod", id)).status());
    }

    @Test
    void aGuestIsBannedByTheAddressTheyUsedAndModeratorsThereAreNot() throws Exception {
        start(null, true);
        FakePeer guestPeer = peer();
        Member guest = join(guestPeer, null, false, false, "10.0.0.7");

        moderation.ban("mod", guest.name(), null, null, false);

        assertEquals(4003, guestPeer.awaitClose().getCloseCode().getCode());
        assertTrue(ofType(received(guestPeer), "banned").get(0).isNull("until"), "for good");
        assertTrue(moderation.barredAddress("10.0.0.7"));
        assertEquals(Moderation.NameVerdict.BANNED, moderation.claim("newname", "10.0.0.7"));
        FakePeer moderatorThere = peer();
        join(moderatorThere, "boss", true, true, "10.0.0.7");
        assertFalse(moderatorThere.closed());
        assertEquals(1, ofType(received(moderatorThere), "welcome").size());
    }

    @Test
    void slowModeLetsOneMessagePerIntervalThroughAndSaysWhenTheNextMay() throws Exception {
        start(null, true);
        FakePeer alicePeer = peer();
        Member alice = join(alicePeer, "alice", false, false, "10.0.0.1");
        moderation.rules("mod", "general", new RoomRules(10, true));
        JsonObject rules = ofType(received(alicePeer), "rules").get(0);
        assertEquals(10, rules.getInt("slowModeSeconds"));

        room.receive(alice, post("one"));
        room.receive(alice, post("two"));
        JsonObject error = ofType(received(alicePeer), "error").get(0);
        assertEquals("slow_mode", error.getString("code"));
        assertEquals(clock.millis() + 10_000, error.getJsonNumber("until").longValue());
        assertEquals(FIRST + 1, room.lastId());
        clock.advance(10, TimeUnit.SECONDS);
        room.receive(alice, post("three"));
        assertEquals(FIRST + 2, room.lastId());
    }

    @Test
    void aRoomWhereGuestsOnlyReadStillHearsThemAndLetsSignedInPeoplePost() throws Exception {
        start(null, true);
        FakePeer guestPeer = peer();
        Member guest = join(guestPeer, "carol", false, false, "10.0.0.4");
        Member ann = join(peer(), "ann", true, false, "10.0.0.5");
        moderation.rules("mod", "general", new RoomRules(0, false));
        assertFalse(ofType(received(guestPeer), "rules").get(0).getBoolean("mayPost"));

        room.receive(guest, post("hello?"));
        assertEquals("read_only", ofType(received(guestPeer), "error").get(0).getString("code"));
        room.receive(ann, post("hello"));
        assertEquals(FIRST + 1, room.lastId());
        assertEquals("hello", ofType(received(guestPeer), "message").get(0).getString("text"));
    }

    @Test
    void whatModeratorsDidHoldsAfterARestartFromTheStore() throws Exception {
        DataSource database = EmbeddedDatabase.in(dir);
        MessageStore.open(database); // the schema, as the webapp migrates it
        start(database, true);
        moderation.mute("mod", "bob", 30, "noise");
        String ban = moderation.ban("mod", "eve", null, "abuse", false);
        moderation.rules("mod", "general", new RoomRules(5, false));
        moderation.reserve("Ann");
        moderation.close();

        start(database, true);
        assertEquals(List.of("bob"), moderation.mutes().stream().map(Mute::name).toList());
        assertEquals(List.of(ban), moderation.bans().stream().map(Ban::id).toList());
        assertEquals(new RoomRules(5, false), moderation.rules("general"));
        assertEquals(Moderation.NameVerdict.RESERVED, moderation.claim("ann", "10.0.0.1"));
        List<Action> audit = moderation.audit(null, 10);
        assertEquals(List.of("rules", "ban", "mute"), audit.stream().map(a -> a.kind().name().toLowerCase()).toList(),
                "newest first; the reservation is not a moderator's action");
        assertEquals(List.of("ban", "mute"), moderation.audit(audit.get(0).id(), 10).stream()
                .map(a -> a.kind().name().toLowerCase()).toList(), "paged by id");
    }

    @Test
    void anActionTravelsBetweenNodesAsJsonUnchanged() {
        Action action = Action.of(17, "mod", 42, Action.Kind.BAN, "b\"ob", null, "line\nbreak").until(99)
                .ids(List.of(1L, 2L)).addresses(List.of("10.0.0.1", "2001:db8:0:0:0:0:0:0/64"), true)
                .rules(new RoomRules(3, false));
        assertEquals(action, Action.fromJson(action.toJson()));
    }
}
