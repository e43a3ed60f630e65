package chatroom.room;

import chatroom.ChatSettings;
import chatroom.Clock;
import chatroom.client.ClientBudgets;
import chatroom.client.RateLimiter;
import chatroom.client.StorageBudgets;
import chatroom.connection.Connection;
import chatroom.connection.Peer;
import chatroom.connection.ReplayBudget;
import chatroom.log.MessageLog;
import chatroom.nickname.NicknameForm;
import chatroom.wire.ErrorCode;
import chatroom.wire.Events;
import chatroom.wire.Frame;
import chatroom.wire.InboundParser;
import chatroom.wire.Protocol;
import jakarta.websocket.CloseReason;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open connection in the room: who it is, what it speaks, its {@link Connection}, the checks on what it sends
 * (size, rate, parse) and the answers only it gets (errors, a retried message's original). The room sees only
 * what passed the checks.
 */
public final class Member {
    /** What a text frame from this member amounts to. */
    sealed interface Input permits Expel, Refused, Send, Barred {
    }

    /** A moderator barred this person (a ban that reached here before their post). */
    record Barred(Gate.Sendoff sendoff) implements Input {
    }

    /** Close the connection. */
    record Expel(Expulsion why) implements Input {
    }

    /** Refused, counted, and the member told (chat.v1); nothing for the room to do. */
    record Refused() implements Input {
    }

    /** A message for the log. */
    record Send(String text, String cid) implements Input {
    }

    /** What the room does when a send to a member fails. */
    interface SendFailure {
        void failed(Member member, Throwable cause);
    }

    /** Makes the members of every room: what they all share, a client's budgets among them. */
    static final class Factory {
        private final ChatSettings settings;
        private final InboundParser parser;
        private final Clock clock;
        private final Executor io;
        private final RoomCounters counters;
        private final AtomicLong guests = new AtomicLong();
        private final ClientBudgets budgets;
        private final StorageBudgets storage;
        private final ReplayBudget replays;
        private final Gate gate;

        Factory(ChatSettings settings, Clock clock, Executor io, RoomCounters counters, Gate gate) {
            this.gate = gate;
            this.settings = settings;
            this.parser = new InboundParser(settings.maxTextLength());
            this.clock = clock;
            this.io = io;
            this.counters = counters;
            this.budgets = new ClientBudgets(settings.ratePerAddress(), settings.rateBurstPerAddress(),
                    settings.ratePerSecond(), settings.rateBurst());
            this.storage = new StorageBudgets(settings.store().bytesPerClientPerDay());
            this.replays = new ReplayBudget(settings.replayInFlightBytes());
        }

        ClientBudgets budgets() {
            return budgets;
        }

        /**
         * A member of {@code room} named {@code user}, or {@code guest-<n>} without one, connecting from
         * {@code address} (may be null); its room hears when a send to it fails.
         */
        Member create(String room, Peer peer, Protocol protocol, Visitor visitor, SendFailure onSendFailure) {
            String user = visitor.user();
            Person person = Person.of(user != null ? user : NicknameForm.GUEST_PREFIX + guests.incrementAndGet(),
                    visitor.signedIn(), visitor.moderator(), visitor.client());
            return new Member(room, person, user != null, protocol, peer, this, onSendFailure);
        }

        Gate gate() {
            return gate;
        }
    }

    private final String room;
    private final String name;
    /** The client's key (ClientKey, from TrustedProxies); null when unknown (unit tests). */
    private final String address;
    private final Person person;
    private final Gate gate;
    private final Clock clock;
    /** The nickname's budget is shared by its tabs; a guest has none beyond its connection's. */
    private final String budgetName;
    private final ClientBudgets budgets;
    private final StorageBudgets storage;
    private final Protocol protocol;
    private final Connection connection;
    private final InboundParser parser;
    private final RoomCounters counters;
    private final RateLimiter rateLimiter;
    private final int maxMessageBytes;
    private final int ratePerSecond;
    /** Guarded by the room's lock: ids up to this one are not queued (a resume ahead of this node's stream). */
    private long skipUpTo;
    /** Last time the peer showed it is alive (a message or a pong), for the idle timeout. */
    private volatile long lastSeenNanos;

    private Member(String room, Person person, boolean named, Protocol protocol, Peer peer, Factory shared,
                   SendFailure onSendFailure) {
        ChatSettings settings = shared.settings;
        long nowNanos = shared.clock.nanoTime();
        this.room = room;
        this.person = person;
        this.name = person.name();
        this.address = person.client();
        this.gate = shared.gate;
        this.clock = shared.clock;
        this.budgetName = named ? name : null;
        this.budgets = shared.budgets;
        this.storage = shared.storage;
        this.protocol = protocol;
        this.connection = new Connection(peer, protocol.maxBatchBytes(), settings.sendBatching(),
                settings.outboxMaxBytes(), shared.replays, shared.clock, shared.io,
                cause -> onSendFailure.failed(this, cause));
        this.parser = shared.parser;
        this.counters = shared.counters;
        this.rateLimiter = new RateLimiter(settings.ratePerSecond(), settings.rateBurst(), nowNanos);
        this.maxMessageBytes = settings.maxMessageBytes();
        this.ratePerSecond = settings.ratePerSecond();
        this.lastSeenNanos = nowNanos;
    }

    /** Checks a text frame this member sent. Only the container's reading thread for its session calls this. */
    Input read(String text, long nowNanos) {
        seen(nowNanos);
        counters.received().increment();
        if (text.length() > maxMessageBytes || Frame.utf8Length(text) > maxMessageBytes) {
            return new Expel(Expulsion.TOO_BIG);
        }
        RateLimiter.Verdict verdict = rateLimiter.acquire(nowNanos);
        if (verdict == RateLimiter.Verdict.ABUSE) {
            return new Expel(Expulsion.RATE_ABUSE);
        }
        boolean shared = verdict == RateLimiter.Verdict.ACCEPT && !budgets.take(address, budgetName, nowNanos);
        InboundParser.Result result = protocol.parse(parser, text);
        if (shared) {
            counters.rateLimited().increment();
            return refuse(Events.error(ErrorCode.RATE_LIMITED,
                    "too many messages from your address or nickname (all your connections together)", result.cid()));
        }
        if (verdict == RateLimiter.Verdict.REFUSE) {
            counters.rateLimited().increment();
            return refuse(Events.error(ErrorCode.RATE_LIMITED,
                    "too many messages: at most " + ratePerSecond + " per second", result.cid()));
        }
        if (result instanceof InboundParser.Refusal refusal) {
            counters.refused().increment();
            return refuse(Events.error(refusal.code(), refusal.message(), refusal.cid()));
        }
        InboundParser.Post post = (InboundParser.Post) result;
        long nowMillis = clock.millis();
        Gate.Sendoff barred = gate.barred(person, nowMillis);
        if (barred != null) {
            return new Barred(barred);
        }
        Gate.Refusal refusal = gate.refusePost(room, person, nowMillis);
        if (refusal != null) {
            counters.refused().increment();
            return refuse(Events.error(refusal.code(), refusal.message(), post.cid(), refusal.until()));
        }
        if (!storage.take(address, StorageBudgets.cost(post.text(), name, post.cid()), nowNanos)) {
            counters.rateLimited().increment();
            return refuse(Events.error(ErrorCode.RATE_LIMITED,
                    "your address has sent all it may store today (chat.store.bytesPerClientPerDay)", post.cid()));
        }
        return new Send(post.text(), post.cid());
    }

    private Input refuse(Frame error) {
        return answer(error) ? new Refused() : new Expel(Expulsion.SLOW_CONSUMER);
    }

    /**
     * How the log took this member's message. The message itself reaches everyone, this member included, from the
     * log; here only what the sender alone learns. False when its outbox is too full for the answer.
     */
    boolean appended(MessageLog.Appended outcome, String cid) {
        if (outcome instanceof MessageLog.Stored) {
            counters.accepted().increment();
            return true;
        }
        if (outcome instanceof MessageLog.Duplicate duplicate) {
            counters.duplicates().increment();
            // A retry: the sender gets the original back (when this node has it), nobody sees it twice.
            return duplicate.original() == null || answer(duplicate.original().json());
        }
        return answer(Events.error(ErrorCode.UNAVAILABLE,
                "the message could not be stored (chat backend unavailable); it was not sent", cid));
    }

    /** Sends an answer to this member alone (plain members get none); false when its outbox is too full for it. */
    private boolean answer(Frame envelope) {
        Frame frame = protocol.notice(envelope);
        if (frame == null) {
            return true;
        }
        if (!connection.offer(frame)) {
            return false;
        }
        connection.pump();
        return true;
    }

    /** The name of the room this connection is in. */
    public String room() {
        return room;
    }

    public String name() {
        return name;
    }

    public Person person() {
        return person;
    }

    /** The client's key, or null when unknown. */
    String address() {
        return address;
    }

    Protocol protocol() {
        return protocol;
    }

    /** Queues a live frame; false when that would pass the outbox's byte bound (too slow to keep). */
    boolean offer(Frame frame) {
        return connection.offer(frame);
    }

    /** Queues a frame ahead of every live one: the welcome, notices and history of a member joining. */
    void offerFirst(Frame frame) {
        connection.offerFirst(frame);
    }

    /** History to send after the frames queued first and before any live one, as the peer takes it. */
    void replay(Iterator<Frame> frames) {
        connection.replay(frames);
    }

    /** Starts sending what is queued, if nothing is in flight. */
    void sendQueued() {
        connection.pump();
    }

    /** Nothing leaves until {@link #release()}: live frames wait behind the replay being queued. */
    void hold() {
        connection.hold();
    }

    void release() {
        connection.release();
    }

    /** The peer went: nothing more is queued or sent to it. */
    void left() {
        connection.discard();
    }

    /** The server sends it away: the close frame follows the send in flight; what is queued is dropped. */
    void close(Expulsion why) {
        connection.close(why.reason());
    }

    /** A moderator sends it away: its last word (chat.v1), then the close, after the send in flight. */
    void sendAway(Gate.Sendoff sendoff) {
        connection.close(sendoff.reason(), protocol.notice(sendoff.notice()));
    }

    /** Closes at once, whatever is in flight (shutdown). */
    void closeNow(CloseReason reason) {
        connection.closeNow(reason);
    }

    /** For a member being closed: closes it now if its send in flight kept the close waiting past the grace. */
    boolean closeIfGraceOver(long nowNanos, long graceNanos) {
        return connection.closeIfGraceOver(nowNanos, graceNanos);
    }

    /** Its send in flight made no progress for this long: it stopped reading. */
    boolean stalledLongerThan(long nowNanos, long nanos) {
        return connection.stalledLongerThan(nowNanos, nanos);
    }

    /** Nothing queued or in flight, and nothing sent for this long: safe to ping (see {@link Housekeeping}). */
    boolean quietLongerThan(long nowNanos, long nanos) {
        return connection.quietLongerThan(nowNanos, nanos);
    }

    void ping() {
        connection.ping();
    }

    /** Live bytes queued or in flight. */
    long queuedBytes() {
        return connection.queuedBytes();
    }

    /** Caller holds the room's lock. */
    boolean skips(long messageId) {
        return messageId <= skipUpTo;
    }

    /** Caller holds the room's lock. */
    void skipUpTo(long id) {
        skipUpTo = id;
    }

    /** Queues a notice ahead of live frames, if this member's protocol hears notices. */
    void noticeFirst(Frame envelope) {
        Frame frame = envelope == null ? null : protocol.notice(envelope);
        if (frame != null) {
            connection.offerFirst(frame);
        }
    }

    void seen(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    /**
     * Time since the last sign of life: a message or pong from the peer, or a send to it that completed (its socket
     * was taking data; such a member is not pinged, see {@link Housekeeping}).
     */
    long silentForNanos(long nowNanos) {
        return Math.min(nowNanos - lastSeenNanos, connection.nanosSinceSent(nowNanos));
    }

    @Override
    public String toString() {
        return name + "/" + connection;
    }
}
