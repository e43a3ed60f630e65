package chatroom.room;

import chatroom.ChatSettings;
import chatroom.Clock;
import chatroom.client.AddressConnections;
import chatroom.connection.Peer;
import chatroom.log.MessageLog;
import chatroom.wire.ChatMessage;
import chatroom.wire.Frame;
import chatroom.wire.Protocol;
import chatroom.wire.Standing;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.CloseReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.LongStream;

/**
 * One room orders and fans out: its members, one lock, the replay of a member joining, and the fan-out of what the
 * {@link MessageLog} accepted for it and of its presence changes. Ids, history and retries are the log's; input
 * checks are the {@link Member}'s; sending and closing are its connection's; which rooms exist, and the
 * budgets a client has in all of them, are {@link Rooms}'.
 *
 * <p>One lock orders a member's arrival and departure against the fan-out of each message, so a member gets every
 * message after the id its welcome names, once. Holding it, the room only touches memory: it never calls the log
 * or sends; sends start in {@link #flush()}, after the lock, and closes run on the {@code io} executor.
 */
public final class Room {
    private static final System.Logger LOG = System.getLogger(Room.class.getName());
    /** Names a welcome lists at most (with the exact count beside it): its size does not grow with the room. */
    static final int WELCOME_NAMES = 100;
    public static final CloseReason SHUTDOWN = new CloseReason(CloseCodes.GOING_AWAY, "server shutting down");

    private final String name;
    private final MessageLog log;
    private final Clock clock;
    private final RoomCounters counters;
    private final Member.Factory newMembers;
    private final int replayMaxBytes;

    private final Object lock = new Object();
    /** Changed only under the lock; iterated without it to start sends. */
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final Closings closings;
    /** Members whose outbox refused a frame under the lock: expelled by {@link #flush()}, after it. */
    private final Queue<Member> overflowed = new ConcurrentLinkedQueue<>();
    /** Guarded by lock. */
    private final Presence presence = new Presence();
    private final AddressConnections perAddress;
    /** Guarded by lock: the presence changes not yet announced. */
    private final PresenceDigest digest;
    /** Guarded by lock: the newest id fanned out. */
    private long lastId;
    /** Guarded by lock: when the last member left (nanos), for leaving memory after a while. */
    private long emptySinceNanos;
    /** Members on their way in ({@link Rooms} counts them while it holds the room): the room stays meanwhile. */
    private final AtomicInteger arriving = new AtomicInteger();
    /** Guarded by itself: the history is in memory. */
    private boolean opened;

    /** Made by {@link Rooms}, which then {@link #open opens} it; what every room shares comes from there. */
    Room(String name, ChatSettings settings, MessageLog log, Clock clock, Member.Factory newMembers,
         AddressConnections perAddress, RoomCounters counters) {
        this.name = name;
        this.log = log;
        this.clock = clock;
        this.counters = counters;
        this.closings = new Closings(counters);
        this.newMembers = newMembers;
        this.digest = new PresenceDigest(settings.presenceIntervalMillis());
        this.perAddress = perAddress;
        this.replayMaxBytes = settings.replayMaxBytes();
        this.lastId = log.lastId();
        this.emptySinceNanos = clock.nanoTime();
    }

    /**
     * Brings the room's history into memory (may read the store) before the first member joins: the first arrival
     * opens, any other waits for it. Never under the room's lock.
     */
    synchronized void open() {
        if (opened) {
            return;
        }
        log.open(name);
        synchronized (lock) {
            lastId = Math.max(lastId, log.lastId(name));
        }
        opened = true;
    }

    /** {@link Rooms} counts a member on its way in: the room cannot leave memory until it {@link #arrived}. */
    void arriving() {
        arriving.incrementAndGet();
    }

    void arrived() {
        arriving.decrementAndGet();
    }

    public String name() {
        return name;
    }

    /**
     * Whether the room may leave memory: nobody in it, or on the way in, for {@code idleNanos}. {@link Rooms} asks
     * while it holds the room, so no member can arrive meanwhile.
     */
    boolean idle(long nowNanos, long idleNanos) {
        synchronized (lock) {
            return members.isEmpty() && arriving.get() == 0 && nowNanos - emptySinceNanos >= idleNanos;
        }
    }

    /** Whether nobody is in the room or on the way in (a full {@link Rooms} may let it go first). */
    boolean empty() {
        return idle(Long.MAX_VALUE, 0);
    }

    /**
     * Adds a connection. A chat.v1 member gets its welcome, then (with {@code since}) every retained message after
     * that id, before any live message; the others learn of the arrival in the next presence frame when the name
     * is new to the room (at once after a quiet interval, see {@link PresenceDigest}).
     */
    public Member join(Peer peer, Protocol protocol, String user, String since) {
        return join(peer, protocol, user, null, since);
    }

    /**
     * The same for a client at {@code address} (null: unknown): its connections share one message budget, and
     * it may hold at most {@code chat.connections.perAddress} of them. Null, and nothing joined, when it already
     * holds that many (the handshake refuses such clients first, see {@link #admits}; this closes the race).
     */
    public Member join(Peer peer, Protocol protocol, String user, String address, String since) {
        return join(peer, protocol, Visitor.named(user, address), since);
    }

    /**
     * The same for a visitor as the handshake found them. A person barred by a moderator is told why and closed
     * (the member returned is in no room).
     */
    public Member join(Peer peer, Protocol protocol, Visitor visitor, String since) {
        String address = visitor.client();
        if (!perAddress.open(address)) {
            return null;
        }
        Member member = newMembers.create(name, peer, protocol, visitor, this::sendFailed);
        Gate gate = newMembers.gate();
        long nowMillis = clock.millis();
        Gate.Sendoff barred = gate.barred(member.person(), nowMillis);
        if (barred != null) {
            perAddress.closed(address);
            closings.sentAway(member, Expulsion.BANNED, barred);
            return member;
        }
        gate.arrived(member.person());
        Standing standing = gate.standing(this.name, member.person(), nowMillis);
        String name = member.name();
        Long after = Resume.parseSince(since);
        long issued = after != null && after > lastId() ? log.lastIssuedId() : -1; // may ask Redis: not under the lock
        long joinedAt;
        member.hold(); // until the replay is queued: no live frame may overtake it
        synchronized (lock) {
            members.add(member);
            joinedAt = lastId;
            boolean arrived = presence.arrive(name);
            member.noticeFirst(protocol.welcome(this.name, name, lastId, presence.online(),
                    presence.names(WELCOME_NAMES), standing));
            if (Resume.fromStream(after, lastId, issued)) {
                member.skipUpTo(after); // this node has not read that far yet: those ids come live, and are skipped
            }
            if (arrived) {
                announce(List.of(name), List.of());
            }
        }
        if (since != null) {
            Replay.queue(member, log, this.name, after, joinedAt, issued,
                    replayMaxBytes); // outside the lock: a log may read
        }
        member.release();
        sendQueued();
        return member;
    }

    /** A text frame from a member: checked and answered by the member, appended to the log, which delivers it. */
    public void receive(Member member, String text) {
        Member.Input input = member.read(text, clock.nanoTime());
        if (input instanceof Member.Expel expel) {
            expel(member, expel.why());
        } else if (input instanceof Member.Barred barred) {
            sendAway(member, Expulsion.BANNED, barred.sendoff());
        } else if (input instanceof Member.Send send && members.contains(member)) {
            log.append(new MessageLog.Draft(name, member.name(), send.text(), send.cid(), clock.millis(),
                            member.person().signedIn()))
                    .whenComplete((outcome, failure) -> appended(member, send.cid(),
                            failure == null ? outcome : new MessageLog.Unavailable(String.valueOf(failure))));
        }
    }

    /** The sender alone learns how its append ended (maybe later, on the log's thread). */
    private void appended(Member sender, String cid, MessageLog.Appended outcome) {
        if (!sender.appended(outcome, cid)) {
            expel(sender, Expulsion.SLOW_CONSUMER);
        }
    }

    /** This room's accepted messages from the log, in id order: each becomes the newest and is queued for all. */
    void deliver(List<ChatMessage> messages) {
        synchronized (lock) {
            for (ChatMessage message : messages) {
                lastId = message.id();
                fanOut(message.json(), message.plain(), null, message.id());
            }
        }
    }

    /** Starts the sends that fan-outs queued, on this thread, then lets go of members that could not take theirs. */
    void sendQueued() {
        sendQueued(0, 1);
    }

    /** {@link #sendQueued()} for the members of one share (by identity hash), so several threads can send. */
    void sendQueued(int share, int shares) {
        pump(share, shares);
        expelOverflowed();
    }

    private void expelOverflowed() {
        boolean expelled = false;
        for (Member member; (member = overflowed.poll()) != null; ) {
            if (depart(member)) {
                closings.expelled(member, Expulsion.SLOW_CONSUMER);
                expelled = true;
            }
        }
        if (expelled) {
            pump(0, 1); // the departures just announced
        }
    }

    public void pong(Member member) {
        member.seen(clock.nanoTime());
    }

    /**
     * The member's peer went (its session closed, whoever closed it). Any number of calls, from any path: only the
     * first counts. The container closes a frame over the size limit with 1009 itself (its buffer is the limit):
     * counted here, once, like the room's own expulsions.
     */
    public void leave(Member member, int closeCode) {
        if (depart(member) && closeCode == Expulsion.TOO_BIG.code()) {
            counters.expulsions(Expulsion.TOO_BIG).increment();
        }
        sendQueued();
    }

    /** The one way out of the room: removes the member once; true for that first call. */
    private boolean depart(Member member) {
        synchronized (lock) {
            if (!members.remove(member)) {
                return false;
            }
            perAddress.closed(member.address());
            member.left();
            if (presence.depart(member.name())) {
                announce(List.of(), List.of(member.name()));
            }
            if (members.isEmpty()) {
                emptySinceNanos = clock.nanoTime();
            }
        }
        return true;
    }

    public boolean isMember(Member member) {
        return members.contains(member);
    }

    /** The server sends the member away: removed now, its connection closes after its send in flight. */
    public void expel(Member member, Expulsion why) {
        if (depart(member)) {
            closings.expelled(member, why);
        }
        sendQueued();
    }

    /** A moderator sends the member away ({@code why}: KICKED or BANNED): its last word, then the close. */
    void sendAway(Member member, Expulsion why, Gate.Sendoff sendoff) {
        if (depart(member)) {
            closings.sentAway(member, why, sendoff);
        }
        sendQueued();
    }

    /** Sends away every member who is {@code who}; how many there were. */
    int sendAway(Predicate<Person> who, Expulsion why, Gate.Sendoff sendoff) {
        int sent = 0;
        for (Member member : members) {
            if (who.test(member.person())) {
                sendAway(member, why, sendoff);
                sent++;
            }
        }
        return sent;
    }

    /**
     * Queues for each chat.v1 member the notice {@code noticeFor} has for them (null: none), in order with the
     * messages: a {@code deleted} after the message it removes, a room's new rules, a mute.
     */
    void tell(Function<Person, Frame> noticeFor) {
        synchronized (lock) {
            for (Member member : members) {
                Frame notice = member.protocol().notice(noticeFor.apply(member.person()));
                if (notice != null && !member.offer(notice)) {
                    overflowed.add(member);
                }
            }
        }
        sendQueued();
    }

    private void sendFailed(Member member, Throwable cause) {
        counters.sendFailures().increment();
        LOG.log(System.Logger.Level.DEBUG, () -> "send to " + member + " failed: " + cause);
        expel(member, Expulsion.SEND_FAILED);
    }

    /**
     * Caller holds the lock. Queues a frame for every member (each gets the encoding its protocol selects, none
     * when that is null); a member whose outbox refuses goes to {@link #overflowed}. The common case allocates
     * nothing. {@code messageId} is 0 for notices; a member that resumed ahead of this node skips ids it has.
     */
    private void fanOut(Frame envelope, Frame plainText, Member except, long messageId) {
        long queued = 0;
        for (Member member : members) {
            Frame frame = member.protocol().select(envelope, plainText);
            if (frame == null || member == except || messageId > 0 && member.skips(messageId)) {
                continue;
            }
            if (member.offer(frame)) {
                queued++;
            } else {
                overflowed.add(member);
            }
        }
        counters.deliveries().add(queued); // once per fan-out: the loop itself only counts locally
    }

    /**
     * Caller holds the lock. Every presence change goes through here into the digest, which lets out at most one
     * frame per interval: at once after a quiet interval, else from {@link #publishPresence()}.
     */
    private void announce(Collection<String> arrived, Collection<String> departed) {
        for (String name : arrived) {
            if (Presence.isGuest(name)) {
                digest.counted();
            } else {
                digest.joined(name);
            }
        }
        for (String name : departed) {
            if (Presence.isGuest(name)) {
                digest.counted();
            } else {
                digest.left(name);
            }
        }
        fanOutPresence();
    }

    /** Caller holds the lock. The digest's frame if one is due: encoded once, the same string to every member. */
    private void fanOutPresence() {
        Frame frame = digest.due(clock.nanoTime(), presence.online());
        if (frame != null) {
            fanOut(frame, null, null, 0);
        }
    }

    /**
     * Sends the presence changes held back since the last frame once an interval has passed. Called often (a
     * fraction of the interval) by a timer; cheap when nothing is due.
     */
    public void publishPresence() {
        synchronized (lock) {
            fanOutPresence();
        }
        sendQueued();
    }

    /** Starts the queued sends of the members in one share; one share of one is everybody (no hashing). */
    private void pump(int share, int shares) {
        for (Member member : members) {
            if (shares == 1 || Math.floorMod(System.identityHashCode(member), shares) == share) {
                member.sendQueued();
            }
        }
    }

    /** The users connected here, for other nodes. */
    Set<String> localUsers() {
        synchronized (lock) {
            return presence.local();
        }
    }

    /** The users other nodes hold now: announces those who appeared and those who vanished. */
    void remoteUsers(Set<String> users) {
        synchronized (lock) {
            int before = presence.online();
            Presence.Changes changes = presence.remote(users);
            if (presence.online() != before) {
                digest.counted(); // guests on other nodes are counted, not named
            }
            announce(changes.arrived(), changes.departed());
        }
        sendQueued();
    }

    public long lastId() {
        synchronized (lock) {
            return lastId;
        }
    }

    public int connections() {
        return members.size();
    }

    /** How many people are here (two tabs of one nickname count once; on every node with Redis). */
    public int online() {
        synchronized (lock) {
            return presence.online();
        }
    }

    /** Live bytes waiting in each member's outbox, for the gauges. */
    public LongStream queuedBytes() {
        return members.stream().mapToLong(Member::queuedBytes);
    }

    Collection<Member> members() {
        return members;
    }

    Closings closings() {
        return closings;
    }

    /** Closes every connection with 1001 so clients reconnect (and resume) elsewhere or later. */
    void shutdown() {
        List<Member> all;
        synchronized (lock) {
            all = new ArrayList<>(members);
            members.forEach(member -> perAddress.closed(member.address()));
            members.clear();
            presence.clear();
        }
        all.forEach(member -> member.closeNow(SHUTDOWN));
        closings.closeAll(SHUTDOWN);
    }
}
