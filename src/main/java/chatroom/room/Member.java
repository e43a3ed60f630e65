package chatroom.room;

import chatroom.ChatSettings;
import chatroom.wire.ErrorCode;
import chatroom.wire.Events;
import chatroom.wire.Frame;
import chatroom.wire.InboundParser;
import chatroom.wire.Protocol;
import java.util.concurrent.Executor;

/**
 * One open connection in the room: who it is, what it speaks, its {@link Connection}, and the checks on what it
 * sends (size, rate, parse), which answer before the room sees a message.
 */
public final class Member {
    /** What a text frame from this member amounts to. */
    sealed interface Input permits Expel, Answer, Send {
    }

    /** Close the connection. */
    record Expel(Expulsion why) implements Input {
    }

    /** Refused: tell the member (chat.v1) and count it. */
    record Answer(Frame error, boolean rateLimited) implements Input {
    }

    /** A message for the log. */
    record Send(String text, String cid) implements Input {
    }

    private final String name;
    private final Protocol protocol;
    private final Connection connection;
    private final InboundParser parser;
    private final RateLimiter rateLimiter;
    private final int maxMessageBytes;
    private final int ratePerSecond;
    /** Guarded by the room's lock: ids up to this one are not queued (a resume ahead of this node's stream). */
    private long skipUpTo;
    /** Last time the peer showed it is alive (a message or a pong), for the idle timeout. */
    private volatile long lastSeenNanos;

    /** What the room does when a send to this member fails. */
    interface SendFailure {
        void failed(Member member, Throwable cause);
    }

    Member(String name, Protocol protocol, Peer peer, InboundParser parser, ChatSettings settings, Clock clock,
           Executor io, SendFailure onSendFailure) {
        long nowNanos = clock.nanoTime();
        this.name = name;
        this.protocol = protocol;
        this.connection = new Connection(peer, protocol.maxBatchBytes(), settings.outboxMaxBytes(),
                settings.outboxMaxFrames(), clock, io, cause -> onSendFailure.failed(this, cause));
        this.parser = parser;
        this.rateLimiter = new RateLimiter(settings.ratePerSecond(), settings.rateBurst(), nowNanos);
        this.maxMessageBytes = settings.maxMessageBytes();
        this.ratePerSecond = settings.ratePerSecond();
        this.lastSeenNanos = nowNanos;
    }

    /** Checks a text frame this member sent. Only the container's reading thread for its session calls this. */
    Input read(String text, long nowNanos) {
        seen(nowNanos);
        if (text.length() > maxMessageBytes || Frame.utf8Length(text) > maxMessageBytes) {
            return new Expel(Expulsion.TOO_BIG);
        }
        RateLimiter.Verdict verdict = rateLimiter.acquire(nowNanos);
        if (verdict == RateLimiter.Verdict.ABUSE) {
            return new Expel(Expulsion.RATE_ABUSE);
        }
        InboundParser.Result result = protocol.parse(parser, text);
        if (verdict == RateLimiter.Verdict.REFUSE) {
            return new Answer(Events.error(ErrorCode.RATE_LIMITED,
                    "too many messages: at most " + ratePerSecond + " per second", result.cid()), true);
        }
        if (result instanceof InboundParser.Refusal refusal) {
            return new Answer(Events.error(refusal.code(), refusal.message(), refusal.cid()), false);
        }
        InboundParser.Post post = (InboundParser.Post) result;
        return new Send(post.text(), post.cid());
    }

    public String name() {
        return name;
    }

    Protocol protocol() {
        return protocol;
    }

    Connection connection() {
        return connection;
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
            connection.offerReplay(frame);
        }
    }

    void seen(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    long silentForNanos(long nowNanos) {
        return nowNanos - lastSeenNanos;
    }

    @Override
    public String toString() {
        return name + "/" + connection;
    }
}
