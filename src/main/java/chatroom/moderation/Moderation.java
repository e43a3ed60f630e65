package chatroom.moderation;

import chatroom.Clock;
import chatroom.log.MessageLog;
import chatroom.nickname.NicknameForm;
import chatroom.room.Expulsion;
import chatroom.room.Gate;
import chatroom.room.Person;
import chatroom.room.Rooms;
import chatroom.wire.ChatMessage;
import chatroom.wire.ErrorCode;
import chatroom.wire.Events;
import chatroom.wire.Frame;
import chatroom.wire.Standing;
import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import redis.clients.jedis.RedisClient;

/**
 * Moderation: what moderators do (each an {@link Action}, handed to every node by the {@link ModerationBus} and
 * applied there: kept in the store, held in {@link Sanctions}, carried out on the connections of that node), and
 * the {@link Gate} the rooms ask on every join and post.
 *
 * <p>The operations answer like the HTTP API: {@link Problem} for a 404, 403, 400 or 503. Applying takes one lock
 * (actions apply one at a time, in the order the bus gives them); checks take none.
 */
public final class Moderation implements Gate {
    private static final System.Logger LOG = System.getLogger(Moderation.class.getName());
    /** Ids of actions applied lately: an action read back from the bus after the acting node applied it is skipped. */
    private static final int REMEMBERED_ACTIONS = 10_000;
    /** Audit kept in memory when there is no store. */
    private static final int AUDIT_IN_MEMORY = 1000;
    /** Client keys remembered per name, for a ban "with the addresses they used" after they left. */
    private static final int ADDRESSES_PER_NAME = 4;
    private static final int NAMES_WITH_ADDRESSES = 10_000;
    private static final int CLOSE_REASON_BYTES = 123;
    /** How long an acting node waits to read its own action back from the bus before it applies it itself. */
    private static final long OWN_ACTION_WAIT_MILLIS = 2000;

    private final Clock clock;
    private final ModerationStore store;
    private final ModerationBus bus;
    private final boolean guestsMayPost;
    private final int historySize;
    private final Sanctions sanctions = new Sanctions();
    private final SlowMode slowMode = new SlowMode();
    private final ActionIds ids;
    /** Guarded by this. */
    private final Set<Long> applied = boundedSet(REMEMBERED_ACTIONS);
    /** Guarded by this: message ids deleted lately, for "deleting twice is fine" without a store. */
    private final Set<Long> deletedLately = boundedSet(REMEMBERED_ACTIONS);
    /** Guarded by this; only without a store. */
    private final Deque<Action> audit = new ArrayDeque<>();
    /** Guarded by itself: name key to the client keys it was last seen with. */
    private final Map<String, Set<String>> seenAddresses = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > NAMES_WITH_ADDRESSES;
        }
    };
    /** Actions this node published and waits to apply in the bus's order, by id. */
    private final Map<Long, CompletableFuture<Void>> ownActions = new ConcurrentHashMap<>();
    private volatile Rooms rooms;
    private volatile MessageLog log;

    private Moderation(Clock clock, ModerationStore store, ModerationBus bus, boolean guestsMayPost, int historySize) {
        this.clock = clock;
        this.store = store;
        this.bus = bus;
        this.guestsMayPost = guestsMayPost;
        this.historySize = historySize;
        this.ids = new ActionIds(clock);
    }

    /**
     * Moderation over {@code dataSource} (null: kept in memory only) and, with {@code redis} (null: one node),
     * across nodes. {@code guestsMayPost}: whether people who are not signed in may post at all.
     */
    public static Moderation create(Clock clock, DataSource dataSource, RedisClient redis, boolean guestsMayPost,
                                    int historySize) {
        return new Moderation(clock, dataSource == null ? null : new ModerationStore(dataSource),
                redis == null ? ModerationBus.local() : new RedisModerationBus(redis), guestsMayPost, historySize);
    }

    /** Loads what holds from the store, then applies actions as the bus brings them. */
    public void start(Rooms rooms, MessageLog log) {
        this.rooms = rooms;
        this.log = log;
        if (store != null) {
            try {
                ModerationStore.Holding holding = store.load(clock.millis());
                holding.bans().forEach(sanctions::ban);
                holding.mutes().forEach(sanctions::mute);
                holding.rules().forEach(sanctions::rules);
                holding.reserved().forEach(sanctions::reserve);
            } catch (SQLException e) {
                throw new IllegalStateException("reading bans, mutes and room rules failed", e);
            }
        }
        bus.start(this::apply);
    }

    public void close() {
        bus.close();
    }

    /** Why an operation cannot be done: the HTTP status and the API's error code. */
    public static final class Problem extends Exception {
        private final int status;
        private final String code;

        Problem(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    private static Problem notFound(String message) {
        return new Problem(404, "not_found", message);
    }

    // ---- operations (the HTTP API's) ----

    /** Deletes message {@code id} of {@code room}; deleting one already deleted is fine. */
    public void delete(String by, String room, long id) throws Problem {
        String sender = senderOf(room, id);
        if (sender == null) {
            if (wasDeleted(id)) {
                return;
            }
            throw notFound("no message " + id + " in #" + room);
        }
        publish(Action.of(ids.next(), by, clock.millis(), Action.Kind.DELETE, sender, room, null)
                .ids(List.of(id)));
    }

    /** Deletes what {@code user} posted in the last {@code minutes} (in {@code room}; null: every room). */
    public int purge(String by, String user, int minutes, String room) throws Problem {
        if (minutes < 1) {
            throw new Problem(400, "bad_request", "minutes must be at least 1");
        }
        long since = clock.millis() - minutes * 60_000L;
        Map<String, Set<Long>> byRoom = new LinkedHashMap<>();
        if (store != null) {
            try {
                for (ModerationStore.Found found : store.recentBy(user, since, room)) {
                    byRoom.computeIfAbsent(found.room(), r -> new LinkedHashSet<>()).add(found.id());
                }
            } catch (SQLException e) {
                throw unavailable(e);
            }
        }
        Collection<String> rooms = room != null ? List.of(room)
                : this.rooms.live().stream().map(chatroom.room.Room::name).toList();
        for (String r : rooms) { // retained messages the store may not have yet
            for (ChatMessage message : log.newest(r, historySize)) {
                if (message.from().equals(user) && message.timestamp() >= since) {
                    byRoom.computeIfAbsent(r, x -> new LinkedHashSet<>()).add(message.id());
                }
            }
        }
        int deleted = 0;
        long at = clock.millis();
        for (Map.Entry<String, Set<Long>> entry : byRoom.entrySet()) {
            publish(Action.of(ids.next(), by, at, Action.Kind.PURGE, user, entry.getKey(), null)
                    .ids(new ArrayList<>(entry.getValue())));
            deleted += entry.getValue().size();
        }
        return deleted;
    }

    /** Closes every connection of {@code user} on every node with 4001; they may come back. */
    public void kick(String by, String user, String reason) throws Problem {
        List<Person> here = rooms.connected(matching(user));
        checkTarget(by, user, here);
        if (here.isEmpty() && !rooms.onlineElsewhere(user)) {
            throw notFound(user + " is not online");
        }
        publish(Action.of(ids.next(), by, clock.millis(), Action.Kind.KICK, user, null, reason));
    }

    /** Mutes {@code user} (and look-alikes) for {@code minutes}; when it ends. */
    public long mute(String by, String user, int minutes, String reason) throws Problem {
        if (minutes < 1) {
            throw new Problem(400, "bad_request", "minutes must be at least 1");
        }
        checkTarget(by, user, rooms.connected(matching(user)));
        long at = clock.millis();
        long until = at + minutes * 60_000L;
        publish(Action.of(ids.next(), by, at, Action.Kind.MUTE, user, null, reason).until(until));
        return until;
    }

    public void unmute(String by, String user) throws Problem {
        if (sanctions.muteOfName(user, clock.millis()) == null) {
            throw notFound(user + " is not muted");
        }
        publish(Action.of(ids.next(), by, clock.millis(), Action.Kind.UNMUTE, user, null, null));
    }

    /**
     * Bans {@code user} and look-alikes ({@code minutes} null: for good); with {@code byAddress} (always, for a
     * guest, who has no name of their own) also the client keys they used. The ban's id.
     */
    public String ban(String by, String user, Integer minutes, String reason, boolean byAddress) throws Problem {
        if (minutes != null && minutes < 1) {
            throw new Problem(400, "bad_request", "minutes must be at least 1, or left out for a ban for good");
        }
        List<Person> here = rooms.connected(matching(user));
        checkTarget(by, user, here);
        boolean addresses = byAddress || user.startsWith(NicknameForm.GUEST_PREFIX);
        long at = clock.millis();
        Action action = Action.of(ids.next(), by, at, Action.Kind.BAN, user, null, reason)
                .until(minutes == null ? 0 : at + minutes * 60_000L)
                .addresses(addresses ? addressesOf(user, here) : List.of(), addresses);
        publish(action);
        return ModerationStore.banId(action);
    }

    public void lift(String by, String banId) throws Problem {
        if (sanctions.ban(banId) == null) {
            throw notFound("no ban " + banId);
        }
        publish(Action.of(ids.next(), by, clock.millis(), Action.Kind.LIFT, banId, null, null));
    }

    /** Sets a room's rules; what holds now. */
    public RoomRules rules(String by, String room, RoomRules rules) throws Problem {
        if (rules.slowModeSeconds() < 0 || rules.slowModeSeconds() > RoomRules.MAX_SLOW_MODE_SECONDS) {
            throw new Problem(400, "bad_request",
                    "slowModeSeconds must be 0 to " + RoomRules.MAX_SLOW_MODE_SECONDS);
        }
        publish(Action.of(ids.next(), by, clock.millis(), Action.Kind.RULES, room, room, null).rules(rules));
        return sanctions.rules(room);
    }

    public RoomRules rules(String room) {
        return sanctions.rules(room);
    }

    public List<Ban> bans() {
        return sanctions.bans(clock.millis());
    }

    public List<Mute> mutes() {
        return sanctions.mutes(clock.millis());
    }

    /** Audit entries with an id below {@code before} (null: the newest), newest first. */
    public List<Action> audit(Long before, int limit) throws Problem {
        if (store != null) {
            try {
                return store.audit(before, limit);
            } catch (SQLException e) {
                throw unavailable(e);
            }
        }
        synchronized (this) {
            return audit.stream().filter(a -> before == null || a.id() < before).limit(limit).toList();
        }
    }

    /**
     * Keeps a signed-in person's name for them: from now on nobody else may claim it or a look-alike. Cheap when
     * the name is already kept (every page load and handshake of theirs asks).
     */
    public void reserve(String name) {
        if (name != null && !sanctions.isReserved(NicknameForm.keys(name))) {
            bus.publish(Action.of(ids.next(), name, clock.millis(), Action.Kind.RESERVE, name, null, null));
        }
    }

    /** Why a guest may not claim this nickname from this client: banned, reserved; null when they may. */
    public NameVerdict claim(String name, String client) {
        long now = clock.millis();
        if (sanctions.banOfName(name, now) != null || sanctions.banOfAddress(client, now) != null) {
            return NameVerdict.BANNED;
        }
        return sanctions.reservedAs(name) != null ? NameVerdict.RESERVED : null;
    }

    /** Why a nickname claim is refused. */
    public enum NameVerdict { BANNED, RESERVED }

    /** Whether a client key is banned now (the handshake refuses it with 403, unless a moderator signed in). */
    public boolean barredAddress(String client) {
        return sanctions.banOfAddress(client, clock.millis()) != null;
    }

    /** Forgets ended mutes and bans and old slow-mode posts (housekeeping). */
    public void forgetEnded() {
        long now = clock.millis();
        sanctions.forgetEnded(now);
        slowMode.forgetOlderThan(now - sanctions.longestSlowModeSeconds() * 1000L);
    }

    // ---- the gate ----

    @Override
    public Sendoff barred(Person person, long nowMillis) {
        if (person.moderator()) {
            return null;
        }
        Ban ban = sanctions.banOf(person, nowMillis);
        return ban == null ? null : banned(ban);
    }

    @Override
    public Refusal refusePost(String room, Person person, long nowMillis) {
        if (person.moderator()) {
            return null;
        }
        Mute mute = sanctions.muteOf(person, nowMillis);
        if (mute != null) {
            return new Refusal(ErrorCode.MUTED, "a moderator muted you until " + Instant.ofEpochMilli(mute.until())
                    + (mute.reason() == null ? "" : ": " + mute.reason()), mute.until());
        }
        RoomRules rules = sanctions.rules(room);
        if (!person.signedIn() && !(guestsMayPost && rules.guestsMayPost())) {
            return new Refusal(ErrorCode.READ_ONLY, "only signed-in people may post in this room", 0);
        }
        if (rules.slowModeSeconds() > 0) {
            long next = slowMode.tryPost(room, slowModeKey(person), nowMillis, rules.slowModeSeconds() * 1000L);
            if (next > 0) {
                return new Refusal(ErrorCode.SLOW_MODE, "slow mode: one message every " + rules.slowModeSeconds()
                        + " s in this room", next);
            }
        }
        return null;
    }

    @Override
    public Standing standing(String room, Person person, long nowMillis) {
        RoomRules rules = sanctions.rules(room);
        Mute mute = person.moderator() ? null : sanctions.muteOf(person, nowMillis);
        return new Standing(person.signedIn(), person.moderator(), mayPost(rules, person) && mute == null,
                rules.slowModeSeconds(), rules.guestsMayPost(), mute == null ? 0 : mute.until());
    }

    private boolean mayPost(RoomRules rules, Person person) {
        return person.moderator() || person.signedIn() || guestsMayPost && rules.guestsMayPost();
    }

    /** All a person's connections count together: by name when they have one of their own, else by client. */
    private static String slowModeKey(Person person) {
        return person.guest() && person.client() != null ? person.client() : person.nameKeys().get(0);
    }

    // ---- applying ----

    /**
     * Hands the action to every node and answers once it holds here. With Redis this node applies it as it reads it
     * back, like every other node, so all apply actions in the Stream's order (two moderators acting on one person
     * at once end the same everywhere); only when that takes longer than {@value #OWN_ACTION_WAIT_MILLIS} ms does it
     * apply it at once (the copy read later is then skipped).
     */
    private void publish(Action action) throws Problem {
        CompletableFuture<Void> readBack = new CompletableFuture<>();
        ownActions.put(action.id(), readBack);
        try {
            if (!bus.publish(action)) {
                throw new Problem(503, "unavailable",
                        "the moderator action could not reach the other nodes; try again");
            }
            readBack.get(OWN_ACTION_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            apply(action, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            apply(action, false);
        } finally {
            ownActions.remove(action.id());
        }
    }

    /**
     * Applies an action on this node: kept in the store, held in memory, carried out on the connections here. A
     * replayed one (made before this node started) that the store already has is skipped, so a restart does not
     * write the whole stream again; one it lacks changes what holds, and of its effects on connections only a ban's
     * holds (its people were elsewhere then: an old kick must not close the sockets of whoever has the name now).
     */
    void apply(Action action, boolean replayed) {
        try {
            applyOnce(action, replayed);
        } finally {
            CompletableFuture<Void> waiting = ownActions.get(action.id());
            if (waiting != null) {
                waiting.complete(null);
            }
        }
    }

    private synchronized void applyOnce(Action action, boolean replayed) {
        if (!applied.add(action.id()) || replayed && alreadyHeld(action)) {
            return;
        }
        Action complete = withAddressesSeenHere(action);
        if (store != null) {
            try {
                store.record(complete);
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "storing moderator action " + action.id() + " failed", e);
            }
        } else if (action.kind() != Action.Kind.RESERVE) {
            audit.addFirst(action);
            if (audit.size() > AUDIT_IN_MEMORY) {
                audit.removeLast();
            }
        }
        carryOut(complete, !replayed);
    }

    /** Whether this node's store (or, for a reserved name, what it loaded) has the action already. */
    private boolean alreadyHeld(Action action) {
        if (action.kind() == Action.Kind.RESERVE) {
            return sanctions.isReserved(NicknameForm.keys(action.target()));
        }
        try {
            return store != null && store.recorded(action.id());
        } catch (SQLException e) {
            return false; // applied again, which changes nothing
        }
    }

    /** {@code live}: also tell and close the connections it concerns (a ban's are closed either way). */
    private void carryOut(Action action, boolean live) {
        switch (action.kind()) {
            case DELETE, PURGE -> {
                log.delete(action.room(), action.ids());
                deletedLately.addAll(action.ids());
                if (live) {
                    Frame deleted = Frame.of(action.ids().stream().map(id -> Events.deleted(id).text())
                            .collect(Collectors.joining("\n")));
                    rooms.tell(action.room(), person -> deleted);
                }
            }
            case KICK -> {
                if (live) {
                    rooms.sendAway(notModerator(matching(action.target())), Expulsion.KICKED, kicked(action));
                }
            }
            case MUTE -> {
                sanctions.mute(new Mute(action.target(), action.by(), action.reason(), action.at(), action.until()));
                if (live) {
                    Frame muted = Events.muted(action.until(), action.reason());
                    Predicate<Person> who = notModerator(matching(action.target()));
                    rooms.tell(person -> who.test(person) ? muted : null);
                }
            }
            case UNMUTE -> {
                sanctions.unmute(action.target(), clock.millis());
                if (live) {
                    Predicate<Person> who = matching(action.target());
                    rooms.tell(person -> who.test(person) ? Events.UNMUTED : null);
                }
            }
            case BAN -> {
                Ban ban = new Ban(ModerationStore.banId(action), action.target(), action.addresses(), action.by(),
                        action.reason(), action.at(), action.until());
                sanctions.ban(ban);
                rooms.sendAway(person -> !person.moderator() && sanctions.banOf(person, clock.millis()) != null,
                        Expulsion.BANNED, banned(ban));
            }
            case LIFT -> sanctions.lift(action.target());
            case RULES -> {
                RoomRules rules = action.rules();
                sanctions.rules(action.room(), rules);
                if (live) {
                    rooms.tell(action.room(), person -> Events.rules(rules.slowModeSeconds(), rules.guestsMayPost(),
                            mayPost(rules, person)));
                }
            }
            case RESERVE -> sanctions.reserve(action.target());
            default -> throw new IllegalArgumentException("unknown action " + action.kind());
        }
    }

    /** A ban by address gets the client keys its person has used on this node too. */
    private Action withAddressesSeenHere(Action action) {
        if (action.kind() != Action.Kind.BAN || !action.byAddress()) {
            return action;
        }
        Set<String> addresses = new LinkedHashSet<>(action.addresses());
        addresses.addAll(addressesOf(action.target(), rooms.connected(matching(action.target()))));
        return action.addresses(new ArrayList<>(addresses), true);
    }

    private List<String> addressesOf(String name, List<Person> connected) {
        Set<String> addresses = new LinkedHashSet<>();
        connected.stream().map(Person::client).filter(client -> client != null).forEach(addresses::add);
        synchronized (seenAddresses) {
            for (String key : NicknameForm.keys(name)) {
                addresses.addAll(seenAddresses.getOrDefault(key, Set.of()));
            }
        }
        return new ArrayList<>(addresses);
    }

    /** Remembers the client key a name joined from, for a later ban "with the addresses they used". */
    @Override
    public void arrived(Person person) {
        if (person.client() == null || person.moderator()) {
            return;
        }
        synchronized (seenAddresses) {
            Set<String> addresses = seenAddresses.computeIfAbsent(person.nameKeys().get(0),
                    key -> boundedSet(ADDRESSES_PER_NAME));
            addresses.add(person.client());
        }
    }

    private static Sendoff kicked(Action kick) {
        String phrase = phrase("kicked" + (kick.reason() == null ? "" : ": " + kick.reason()));
        return new Sendoff(Events.kicked(kick.reason()),
                new CloseReason(Expulsion.KICKED.reason().getCloseCode(), phrase));
    }

    private Sendoff banned(Ban ban) {
        return new Sendoff(Events.banned(ban.until(), ban.reason()), Expulsion.BANNED.reason());
    }

    private String senderOf(String room, long id) throws Problem {
        List<ChatMessage> retained = log.retainedAfter(room, id - 1).messages();
        if (!retained.isEmpty() && retained.get(0).id() == id) {
            return retained.get(0).from();
        }
        if (store == null) {
            return null;
        }
        try {
            ModerationStore.Found found = store.message(id);
            return found != null && found.room().equals(room) ? found.sender() : null;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private boolean wasDeleted(long id) throws Problem {
        synchronized (this) {
            if (deletedLately.contains(id)) {
                return true;
            }
        }
        try {
            return store != null && store.deleted(id);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Moderators are not kicked, muted or banned (by another moderator, or themselves). */
    private static void checkTarget(String by, String user, List<Person> connected) throws Problem {
        boolean moderator = connected.stream().anyMatch(Person::moderator)
                || NicknameForm.keys(by).stream().anyMatch(NicknameForm.keys(user)::contains);
        if (moderator) {
            throw new Problem(403, "forbidden", "moderators cannot be kicked, muted or banned");
        }
    }

    /** The people who are {@code name} or look like it. */
    private static Predicate<Person> matching(String name) {
        List<String> keys = NicknameForm.keys(name);
        return person -> person.nameKeys().stream().anyMatch(keys::contains);
    }

    private static Predicate<Person> notModerator(Predicate<Person> who) {
        return person -> !person.moderator() && who.test(person);
    }

    /** A close frame's reason is at most 123 bytes of UTF-8. */
    private static String phrase(String text) {
        String cut = text;
        while (cut.getBytes(StandardCharsets.UTF_8).length > CLOSE_REASON_BYTES) {
            cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
        }
        return cut;
    }

    private static Problem unavailable(SQLException e) {
        LOG.log(System.Logger.Level.WARNING, "the store failed a moderation read", e);
        return new Problem(503, "unavailable", "the store is unavailable; try again");
    }

    private static <T> Set<T> boundedSet(int max) {
        return java.util.Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
                return size() > max;
            }
        });
    }
}
