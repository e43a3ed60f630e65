package chatroom.room;

import chatroom.ChatSettings;
import chatroom.log.MessageLog;
import chatroom.log.PresenceBus;
import chatroom.wire.ChatMessage;
import chatroom.wire.ErrorCode;
import chatroom.wire.Events;
import chatroom.wire.Frame;
import chatroom.wire.InboundParser;
import chatroom.wire.Protocol;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The room orders and fans out: its members, one lock, the replay of a member joining, and the fan-out of what the
 * {@link MessageLog} accepted and of presence changes. Ids, history and retries are the log's; input checks are
 * the {@link Member}'s; sending and closing are the {@link Connection}'s.
 *
 * <p>One lock orders a member's arrival and departure against the fan-out of each message, so a member gets every
 * message after the id its welcome names, once. Holding it, the room only touches memory: it never calls the log
 * or sends; sends start in {@link #flush()}, after the lock, and closes run on the {@code io} executor.
 */
public final class Room implements MessageLog.Listener, PresenceBus.Listener {
    private static final System.Logger LOG = System.getLogger(Room.class.getName());
    public static final CloseReason SHUTDOWN = new CloseReason(CloseCodes.GOING_AWAY, "server shutting down");

    private final ChatSettings settings;
    private final MessageLog log;
    private final Clock clock;
    private final Executor io;
    private final InboundParser parser;
    private final AtomicLong guests = new AtomicLong();
    private final RoomCounters counters = new RoomCounters();

    private final Object lock = new Object();
    /** Changed only under the lock; iterated without it to start sends. */
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    /** Expelled members' connections until their close starts (housekeeping forces the stalled ones). */
    private final Set<Connection> closing = ConcurrentHashMap.newKeySet();
    /** Members whose outbox refused a frame under the lock: expelled by {@link #flush()}, after it. */
    private final Queue<Member> overflowed = new ConcurrentLinkedQueue<>();
    /** Guarded by lock. */
    private final Presence presence = new Presence();
    /** Guarded by lock: the newest id fanned out. */
    private long lastId;

    /** Then start the log and the presence bus with this room as their listener. */
    public Room(ChatSettings settings, MessageLog log, Clock clock, Executor io) {
        this.settings = settings;
        this.log = log;
        this.clock = clock;
        this.io = io;
        this.parser = new InboundParser(settings.maxTextLength());
        this.lastId = log.lastId();
    }

    /** What the page embeds: the newest messages and the id a client resumes from. */
    public record Snapshot(long lastId, List<ChatMessage> recent) {
    }

    /**
     * Adds a connection. A chat.v1 member gets its welcome, then (with {@code since}) every retained message after
     * that id, before any live message; the others learn of the arrival when the name is new to the room.
     */
    public Member join(Peer peer, Protocol protocol, String user, String since) {
        String name = user != null ? user : "guest-" + guests.incrementAndGet();
        Member member = new Member(name, protocol, peer, parser, settings, clock, io, this::sendFailed);
        Long after = Resume.parseSince(since);
        long issued = after != null && after > lastId() ? log.lastIssuedId() : -1; // may ask Redis: not under the lock
        long joinedAt;
        member.connection().hold(); // until the replay is queued: no live frame may overtake it
        synchronized (lock) {
            members.add(member);
            joinedAt = lastId;
            boolean arrived = presence.arrive(name);
            member.noticeFirst(protocol.welcome(name, lastId, presence.online()));
            if (Resume.fromStream(after, lastId, issued)) {
                member.skipUpTo(after); // this node has not read that far yet: those ids come live, and are skipped
            }
            if (arrived) {
                announce(List.of(name), List.of(), member);
            }
        }
        if (since != null) {
            Replay.queue(member, log, after, joinedAt, issued); // outside the lock: a log may read a store
        }
        member.connection().release();
        flush();
        return member;
    }

    /** A text frame from a member: checked by the member, then appended to the log, which delivers it. */
    public void receive(Member member, String text) {
        counters.received().increment();
        Member.Input input = member.read(text, clock.nanoTime());
        if (input instanceof Member.Expel expel) {
            dismiss(member, expel.why());
        } else if (input instanceof Member.Answer answer) {
            (answer.rateLimited() ? counters.rateLimited() : counters.refused()).increment();
            reply(member, answer.error());
        } else if (input instanceof Member.Send send && members.contains(member)) {
            log.append(new MessageLog.Draft(member.name(), send.text(), send.cid(), clock.millis()))
                    .whenComplete((outcome, failure) -> appended(member, send.cid(),
                            failure == null ? outcome : new MessageLog.Unavailable(String.valueOf(failure))));
        }
        flush();
    }

    /** The sender learns how its append ended; the message itself reaches everyone, sender included, from the log. */
    private void appended(Member sender, String cid, MessageLog.Appended outcome) {
        if (outcome instanceof MessageLog.Stored) {
            counters.accepted().increment();
        } else if (outcome instanceof MessageLog.Duplicate duplicate) {
            counters.duplicates().increment();
            if (duplicate.original() != null) { // a retry: the sender gets the original back, nobody sees it twice
                reply(sender, duplicate.original().json());
            }
        } else {
            reply(sender, Events.error(ErrorCode.UNAVAILABLE,
                    "the message could not be stored (chat backend unavailable); it was not sent", cid));
        }
    }

    /** Accepted messages from the log, in id order: each becomes the newest and is queued for every member. */
    @Override
    public void deliver(List<ChatMessage> messages) {
        synchronized (lock) {
            for (ChatMessage message : messages) {
                lastId = message.id();
                fanOut(message.json(), message.plain(), null, message.id());
            }
        }
    }

    /** Starts the sends that fan-outs queued, then lets go of members that could not take theirs. */
    @Override
    public void flush() {
        pumpAll();
        boolean expelled = false;
        for (Member member; (member = overflowed.poll()) != null; ) {
            expelled |= dismiss(member, Expulsion.SLOW_CONSUMER);
        }
        if (expelled) {
            pumpAll(); // the departures just announced
        }
    }

    /** An answer to one member only (an error, an original); plain members get none. */
    private void reply(Member member, Frame envelope) {
        Frame frame = member.protocol().notice(envelope);
        if (frame == null) {
            return;
        }
        if (member.connection().offer(frame)) {
            member.connection().pump();
        } else {
            overflowed.add(member);
        }
    }

    public void pong(Member member) {
        member.seen(clock.nanoTime());
    }

    /** Removes a member (any number of calls, from any path: only the first counts). True for that first call. */
    public boolean leave(Member member) {
        boolean left = remove(member);
        flush();
        return left;
    }

    private boolean remove(Member member) {
        synchronized (lock) {
            if (!members.remove(member)) {
                return false;
            }
            member.connection().discard();
            if (presence.depart(member.name())) {
                announce(List.of(), List.of(member.name()), null);
            }
        }
        return true;
    }

    /**
     * The member's session closed, whoever closed it. A frame over the size limit never reaches the room: the
     * container's message buffer is that limit, and the container closes with 1009 itself. Such a close is counted
     * here, once, like the room's own expulsions (a 1009 the room sent left already in {@link #expel}).
     */
    public void closed(Member member, int closeCode) {
        if (leave(member) && closeCode == Expulsion.TOO_BIG.code()) {
            counters.expulsions(Expulsion.TOO_BIG).increment();
        }
    }

    public boolean isMember(Member member) {
        return members.contains(member);
    }

    /** Removes the member now; its connection closes after its send in flight. */
    public void expel(Member member, Expulsion why) {
        dismiss(member, why);
        flush();
    }

    private boolean dismiss(Member member, Expulsion why) {
        if (!remove(member)) {
            return false;
        }
        counters.expulsions(why).increment();
        LOG.log(System.Logger.Level.INFO, "closing session {0}: {1} ({2})",
                member.connection(), why.reason().getReasonPhrase(), why.code());
        closing.add(member.connection());
        member.connection().closeAfterInFlight(why.reason());
        return true;
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
            if (member.connection().offer(frame)) {
                queued++;
            } else {
                overflowed.add(member);
            }
        }
        counters.deliveries().add(queued); // once per fan-out: the loop itself only counts locally
    }

    /** Caller holds the lock. Every presence change goes out here: the one place to coalesce them. */
    private void announce(Collection<String> arrived, Collection<String> departed, Member except) {
        long timestamp = clock.millis();
        for (String name : arrived) {
            fanOut(Events.presence("join", name, timestamp), null, except, 0);
        }
        for (String name : departed) {
            fanOut(Events.presence("leave", name, timestamp), null, except, 0);
        }
    }

    private void pumpAll() {
        for (Member member : members) {
            member.connection().pump();
        }
    }

    @Override
    public Set<String> localUsers() {
        synchronized (lock) {
            return presence.local();
        }
    }

    /** The users other nodes hold now: announces those who appeared and those who vanished. */
    @Override
    public void remoteUsers(Set<String> users) {
        synchronized (lock) {
            Presence.Changes changes = presence.remote(users);
            announce(changes.arrived(), changes.departed(), null);
        }
        flush();
    }

    /** The newest messages and the id after them; a message the log has but the room has not fanned out yet counts. */
    public Snapshot snapshot(int count) {
        long last = lastId();
        List<ChatMessage> recent = log.newest(count);
        return new Snapshot(recent.isEmpty() ? last : Math.max(last, recent.get(recent.size() - 1).id()), recent);
    }

    public long lastId() {
        synchronized (lock) {
            return lastId;
        }
    }

    public int connections() {
        return members.size();
    }

    public int historySize() {
        return log.retainedCount();
    }

    public RoomCounters counters() {
        return counters;
    }

    /** Live bytes waiting in all outboxes. */
    public long queuedBytes() {
        return members.stream().mapToLong(member -> member.connection().queuedBytes()).sum();
    }

    /** The largest single outbox: never above chat.outbox.maxBytes, the slow-consumer bound. */
    public long largestQueuedBytes() {
        return members.stream().mapToLong(member -> member.connection().queuedBytes()).max().orElse(0);
    }

    Collection<Member> members() {
        return members;
    }

    Set<Connection> closing() {
        return closing;
    }

    /** Closes every connection with 1001 so clients reconnect (and resume) elsewhere or later. */
    public void shutdown() {
        List<Member> all;
        synchronized (lock) {
            all = new ArrayList<>(members);
            members.clear();
            presence.clear();
        }
        all.forEach(member -> member.connection().closeNow(SHUTDOWN));
        closing.forEach(connection -> connection.closeNow(SHUTDOWN));
        closing.clear();
    }
}
