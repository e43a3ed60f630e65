package chatroom;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The room: its members, message ids, history and presence, and the broadcast.
 *
 * <p>One lock orders everything that must have a single room-wide order: assigning an id, appending to history,
 * and queueing the frame in every member's outbox; likewise a member's arrival (welcome, replay) and departure.
 * Holding it, the room only touches memory. Sending happens after the lock is released ({@link #pumpAll}),
 * and closing a session (which may block) happens on the {@code io} executor.
 */
public final class Room {
    private static final System.Logger LOG = System.getLogger(Room.class.getName());
    private static final long HOUSEKEEPING_MILLIS = 1000;
    static final CloseReason SHUTDOWN = new CloseReason(CloseCodes.GOING_AWAY, "server shutting down");

    private final ChatSettings settings;
    private final InboundParser parser;
    private final AtomicLong guests = new AtomicLong();
    private final RoomCounters counters = new RoomCounters();

    private final Object lock = new Object();
    /** Changed only under the lock; iterated without it to start sends. */
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    /** Expelled members whose session closes once their send in flight settles (or the send timeout passes). */
    private final Map<Member, CloseReason> closing = new ConcurrentHashMap<>();
    /** Guarded by lock. */
    private final Presence presence = new Presence();
    /** Guarded by lock. */
    private final History history;
    /** Guarded by lock. */
    private long lastId;
    /** Guarded by lock: frames queued to members, summed per broadcast so the loop itself only counts locally. */
    private long deliveries;

    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("chat-housekeeping"));
    /** Session closes and pings: both may block on a congested peer, so never on a broadcasting thread. */
    private final ExecutorService io = Executors.newFixedThreadPool(2, daemon("chat-io"));
    private long lastPingNanos = System.nanoTime();
    /** Set once at start when several nodes share the room through Redis; null for a single node. */
    private volatile RedisBackplane backplane;

    /**
     * @param idsAfter the room's ids start after this one: {@link #idsAfterNow()} for a room of its own, 0 when a
     *                 backplane supplies the ids
     */
    public Room(ChatSettings settings, long idsAfter) {
        this.settings = settings;
        this.lastId = idsAfter;
        this.parser = new InboundParser(settings.maxTextLength());
        this.history = new History(settings.historySize());
        housekeeping.scheduleWithFixedDelay(this::housekeep, HOUSEKEEPING_MILLIS, HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS);
    }

    void useBackplane(RedisBackplane backplane) {
        this.backplane = backplane;
    }

    RedisBackplane backplane() {
        return backplane;
    }

    /**
     * A first id for an in-memory room: the current time in microseconds. A restarted room has lost its history,
     * and its ids must still be larger than any id of the room before it, or a page resuming with an old id would
     * take the new room's first messages for ones it has already shown. (Holds below a million messages a second.)
     */
    static long idsAfterNow() {
        return TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    }

    /** What the page embeds: the newest messages and the id a client resumes from. */
    public record Snapshot(long lastId, List<ChatMessage> recent) {
    }

    /**
     * Adds a connection. A chat.v1 member gets its welcome, then (with {@code since}) every retained message
     * after that id, before any live message; the others learn of the arrival when the name is new to the room.
     */
    Member join(Session session, String user, String since) {
        long now = System.nanoTime();
        String name = user != null ? user : "guest-" + guests.incrementAndGet();
        Protocol protocol = Protocol.negotiated(session.getNegotiatedSubprotocol());
        Member[] holder = new Member[1];
        Outbox outbox = new Outbox(session.getAsyncRemote(), protocol == Protocol.CHAT_V1,
                settings.outboxMaxBytes(), settings.outboxMaxFrames(), cause -> sendFailed(holder[0], cause));
        Member member = new Member(session, name, protocol,
                outbox, new RateLimiter(settings.ratePerSecond(), settings.rateBurst(), now), now);
        holder[0] = member;
        Long after = parseSince(since);
        long issued = after != null && after > lastId() && backplane != null ? backplane.lastIssuedId() : -1;
        List<Member> overflowed = null;
        synchronized (lock) {
            members.add(member);
            boolean arrived = presence.arrive(name);
            if (protocol == Protocol.CHAT_V1) {
                outbox.offerReplay(Events.welcome(name, lastId, presence.online()));
            }
            if (since != null) {
                replay(member, after, issued);
            }
            if (arrived) {
                overflowed = fanOut(Events.presence("join", name, System.currentTimeMillis()), null, member, 0);
            }
        }
        pumpAll();
        expel(overflowed, Expulsion.SLOW_CONSUMER);
        return member;
    }

    /** The id in {@code ?since=}, or null when absent or not a whole number >= 0. */
    private static Long parseSince(String since) {
        try {
            long after = since == null ? -1 : Long.parseLong(since.trim());
            return after < 0 ? null : after;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Caller holds the lock. Queues what the member missed after {@code after} (null: an unreadable since);
     * {@code issued} is the newest id the backplane has given out, or -1.
     */
    private void replay(Member member, Long after, long issued) {
        List<ChatMessage> missed = List.of();
        switch (Resume.of(after, lastId, oldestKnownId(), issued)) {
            case UNREADABLE -> notice(member,
                    Events.error(ErrorCode.BAD_REQUEST, "since must be a message id (a whole number >= 0)", null));
            case FROM_STREAM -> member.deliverAfter = after;
            case AHEAD -> {
                notice(member, Events.error(ErrorCode.BAD_REQUEST,
                        "since " + after + " is ahead of this room's last id " + lastId + "; replaying what is retained", null));
                notice(member, Events.RESET);
                missed = history.after(0);
            }
            case GAP -> {
                notice(member, Events.RESET);
                missed = history.after(0);
            }
            case REPLAY -> missed = history.after(after);
        }
        for (ChatMessage message : missed) {
            member.outbox.offerReplay(member.protocol.frameOf(message));
        }
    }

    /** Caller holds the lock. The oldest id a client can still get: the next one when nothing is retained. */
    private long oldestKnownId() {
        return history.size() == 0 ? lastId + 1 : history.oldestId();
    }

    /** Caller holds the lock. Envelopes other than messages reach chat.v1 members only. */
    private static void notice(Member member, Frame frame) {
        if (member.protocol == Protocol.CHAT_V1) {
            member.outbox.offerReplay(frame);
        }
    }

    /** A text frame from a member: size checked, rate limited, validated, then broadcast. */
    void receive(Member member, String text) {
        long now = System.nanoTime();
        member.seen(now);
        counters.received.increment();
        if (text.length() > settings.maxMessageBytes() || Frame.utf8Length(text) > settings.maxMessageBytes()) {
            expel(member, Expulsion.TOO_BIG);
            return;
        }
        RateLimiter.Verdict verdict = member.rateLimiter.acquire(now);
        if (verdict == RateLimiter.Verdict.ABUSE) {
            expel(member, Expulsion.RATE_ABUSE);
            return;
        }
        InboundParser.Result result = member.protocol == Protocol.CHAT_V1 ? parser.envelope(text) : parser.plain(text);
        if (verdict == RateLimiter.Verdict.REFUSE) {
            counters.rateLimited.increment();
            reply(member, Events.error(ErrorCode.RATE_LIMITED,
                    "too many messages: at most " + settings.ratePerSecond() + " per second", result.cid()));
        } else if (result instanceof InboundParser.Refusal refusal) {
            counters.refused.increment();
            reply(member, Events.error(refusal.code(), refusal.message(), refusal.cid()));
        } else if (result instanceof InboundParser.Post post) {
            post(member, post.text(), post.cid());
        }
    }

    private void post(Member sender, String text, String cid) {
        RedisBackplane shared = backplane;
        if (shared != null) {
            postThrough(shared, sender, text, cid);
            return;
        }
        List<Member> overflowed;
        synchronized (lock) {
            if (!members.contains(sender)) {
                return;
            }
            ChatMessage original = cid == null ? null : history.findByClientId(sender.name, cid);
            if (original != null) {
                counters.duplicates.increment();
                // A retry of a message already accepted: the sender gets the original back, nobody sees it twice.
                overflowed = sender.outbox.offer(original.json()) ? null : List.of(sender);
            } else {
                counters.accepted.increment();
                overflowed = accept(ChatMessage.create(lastId + 1, sender.name, text, System.currentTimeMillis(), cid));
            }
        }
        pumpAll();
        expel(overflowed, Expulsion.SLOW_CONSUMER);
    }

    /** Several nodes: Redis decides the id (or recognises a retry); every node delivers from Redis's stream. */
    private void postThrough(RedisBackplane shared, Member sender, String text, String cid) {
        RedisBackplane.Appended appended = shared.append(sender.name, text, cid, System.currentTimeMillis(), lastId());
        switch (appended.outcome()) {
            case STORED -> counters.accepted.increment();
            case DUPLICATE -> {
                counters.duplicates.increment();
                ChatMessage original;
                synchronized (lock) {
                    original = history.findByClientId(sender.name, cid);
                }
                // Not here yet when this node lags: then it reaches the sender from the stream like any message.
                if (original != null) {
                    reply(sender, original.json());
                }
            }
            case UNAVAILABLE -> reply(sender, Events.error(ErrorCode.UNAVAILABLE,
                    "the message could not be stored (chat backend unavailable); it was not sent", cid));
        }
    }

    /** Messages read from the backplane, in its order; ids this node already has are skipped. */
    void deliver(List<ChatMessage> messages) {
        List<Member> overflowed = null;
        synchronized (lock) {
            for (ChatMessage message : messages) {
                if (message.id() > lastId) {
                    overflowed = merge(overflowed, accept(message));
                }
            }
        }
        pumpAll();
        expel(overflowed, Expulsion.SLOW_CONSUMER);
    }

    /** Caller holds the lock. The message becomes the newest: retained, and queued for every member. */
    private List<Member> accept(ChatMessage message) {
        lastId = message.id();
        history.add(message);
        return fanOut(message.json(), message.plain(), null, message.id());
    }

    /** An answer to one member only (an error); plain members get none: they see messages and nothing else. */
    private void reply(Member member, Frame frame) {
        if (member.protocol != Protocol.CHAT_V1) {
            return;
        }
        if (member.outbox.offer(frame)) {
            member.outbox.pump();
        } else {
            expel(member, Expulsion.SLOW_CONSUMER);
        }
    }

    void pong(Member member) {
        member.seen(System.nanoTime());
    }

    /**
     * Removes a member; safe to call any number of times from any path (close, error, expel), only the first has
     * an effect and announces the departure. True for that first call.
     */
    boolean leave(Member member) {
        List<Member> overflowed = null;
        synchronized (lock) {
            if (!members.remove(member)) {
                return false;
            }
            member.outbox.close();
            if (presence.depart(member.name)) {
                overflowed = fanOut(Events.presence("leave", member.name, System.currentTimeMillis()), null, null, 0);
            }
        }
        pumpAll();
        expel(overflowed, Expulsion.SLOW_CONSUMER);
        return true;
    }

    /**
     * The member's session closed, whoever closed it. A frame over the size limit never reaches the room: the
     * container's message buffer is that limit, and the container closes with 1009 itself. Such a close is
     * counted here, once, like the room's own expulsions (a 1009 the room sent left already in {@link #expel}).
     * A peer that closed with 1009 itself would be counted too; no client of this room does.
     */
    void closed(Member member, CloseReason reason) {
        if (leave(member) && reason.getCloseCode().getCode() == Expulsion.TOO_BIG.reason.getCloseCode().getCode()) {
            counters.expulsions.get(Expulsion.TOO_BIG).increment();
        }
    }

    boolean isMember(Member member) {
        return members.contains(member);
    }

    /** Removes the member now and closes its session off this thread. */
    void expel(Member member, Expulsion why) {
        if (leave(member)) {
            counters.expulsions.get(why).increment();
            LOG.log(System.Logger.Level.INFO, "closing session {0}: {1} ({2})",
                    member.session.getId(), why.reason.getReasonPhrase(), why.reason.getCloseCode().getCode());
            closing.put(member, why.reason);
            member.outbox.afterInFlight(() -> closeExpelled(member));
        }
    }

    /** Closes an expelled member's session, once, off the calling thread. */
    private void closeExpelled(Member member) {
        CloseReason reason = closing.remove(member);
        if (reason != null) {
            io.execute(() -> member.closeSession(reason));
        }
    }

    private void expel(List<Member> overflowed, Expulsion why) {
        if (overflowed != null) {
            overflowed.forEach(member -> expel(member, why));
        }
    }

    private void sendFailed(Member member, Throwable cause) {
        counters.sendFailures.increment();
        LOG.log(System.Logger.Level.DEBUG, () -> "send to " + member + " failed: " + cause);
        expel(member, Expulsion.SEND_FAILED);
    }

    /**
     * Caller holds the lock. Queues a frame for every member (chat.v1 gets {@code json}, plain gets {@code plain}
     * when not null) and returns those whose outbox refused it, or null: the common case allocates nothing.
     * {@code messageId} is 0 for presence; a member that resumed ahead of this node skips ids it already has.
     */
    private List<Member> fanOut(Frame json, Frame plain, Member except, long messageId) {
        List<Member> overflowed = null;
        long queued = 0;
        for (Member member : members) {
            Frame frame = member.protocol == Protocol.CHAT_V1 ? json : plain;
            if (frame == null || member == except || messageId <= member.deliverAfter && messageId > 0) {
                continue;
            }
            if (member.outbox.offer(frame)) {
                queued++;
            } else {
                if (overflowed == null) {
                    overflowed = new ArrayList<>();
                }
                overflowed.add(member);
            }
        }
        deliveries += queued;
        return overflowed;
    }

    private void pumpAll() {
        for (Member member : members) {
            member.outbox.pump();
        }
    }

    /** Send timeouts, idle timeouts and keepalive pings, checked once a second. */
    private void housekeep() {
        try {
            long now = System.nanoTime();
            long sendTimeout = TimeUnit.MILLISECONDS.toNanos(settings.sendTimeoutMillis());
            long idleTimeout = TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis());
            long pingInterval = TimeUnit.MILLISECONDS.toNanos(settings.pingIntervalMillis());
            boolean pingDue = pingInterval > 0 && now - lastPingNanos >= pingInterval;
            if (pingDue) {
                lastPingNanos = now;
            }
            for (Member member : closing.keySet()) {
                if (member.outbox.stalledLongerThan(sendTimeout)) {
                    closeExpelled(member); // the peer does not read on: stop waiting for its send
                }
            }
            for (Member member : members) {
                if (member.outbox.stalledLongerThan(sendTimeout)) {
                    expel(member, Expulsion.SEND_TIMEOUT);
                } else if (idleTimeout > 0 && member.silentForNanos(now) > idleTimeout) {
                    expel(member, Expulsion.IDLE);
                } else if (pingDue && member.outbox.idle()) {
                    io.execute(() -> ping(member));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "housekeeping failed", e);
        }
    }

    private static void ping(Member member) {
        try {
            if (member.session.isOpen()) {
                member.session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "ping to " + member + " failed: " + e);
        }
    }

    /** The names with a connection on this node, for the backplane's heartbeat. */
    Set<String> localUsers() {
        synchronized (lock) {
            return presence.local();
        }
    }

    /** The users other nodes hold now: announces those who appeared and those who vanished here. */
    void remoteUsers(Set<String> now) {
        List<Member> overflowed = null;
        synchronized (lock) {
            Presence.Changes changes = presence.remote(now);
            long ts = System.currentTimeMillis();
            for (String name : changes.arrived()) {
                overflowed = merge(overflowed, fanOut(Events.presence("join", name, ts), null, null, 0));
            }
            for (String name : changes.departed()) {
                overflowed = merge(overflowed, fanOut(Events.presence("leave", name, ts), null, null, 0));
            }
        }
        pumpAll();
        expel(overflowed, Expulsion.SLOW_CONSUMER);
    }

    private static List<Member> merge(List<Member> into, List<Member> more) {
        if (more == null) {
            return into;
        }
        if (into == null) {
            return more;
        }
        into.addAll(more);
        return into;
    }

    public Snapshot snapshot(int count) {
        synchronized (lock) {
            return new Snapshot(lastId, history.newest(count));
        }
    }

    public long lastId() {
        synchronized (lock) {
            return lastId;
        }
    }

    public int connections() {
        return members.size();
    }

    RoomCounters counters() {
        return counters;
    }

    long deliveries() {
        synchronized (lock) {
            return deliveries;
        }
    }

    /** Live bytes waiting in all outboxes. */
    long queuedBytes() {
        long bytes = 0;
        for (Member member : members) {
            bytes += member.outbox.queuedBytes();
        }
        return bytes;
    }

    /** The largest single outbox: never above chat.outbox.maxBytes, the slow-consumer bound. */
    long largestQueuedBytes() {
        long largest = 0;
        for (Member member : members) {
            largest = Math.max(largest, member.outbox.queuedBytes());
        }
        return largest;
    }

    public int historySize() {
        synchronized (lock) {
            return history.size();
        }
    }

    /** Closes every session with 1001 so clients reconnect (and resume) elsewhere or later. */
    public void shutdown() {
        housekeeping.shutdownNow();
        List<Member> all;
        synchronized (lock) {
            all = new ArrayList<>(members);
            members.clear();
            presence.clear();
            all.forEach(member -> member.outbox.close());
        }
        all.addAll(closing.keySet());
        closing.clear();
        all.forEach(member -> io.execute(() -> member.closeSession(SHUTDOWN)));
        io.shutdown();
        try {
            // Wait for both: a webapp must not leave threads behind on undeploy (Tomcat reports them as leaks).
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
