package chatroom.room;

import jakarta.websocket.CloseReason;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Members the room sent away, until their close starts. Each is counted under its {@link Expulsion} (the tags of
 * {@code chat_closes_total}, as its reason is the close frame's), logged once, and closed by its connection after
 * its send in flight; housekeeping closes those still waiting on it after the close grace, and shutdown the rest.
 */
final class Closings {
    private static final System.Logger LOG = System.getLogger(Closings.class.getName());

    private final RoomCounters counters;
    private final Set<Member> pending = ConcurrentHashMap.newKeySet();

    Closings(RoomCounters counters) {
        this.counters = counters;
    }

    /** The member has left the room; its connection closes after its send in flight. */
    void expelled(Member member, Expulsion why) {
        counters.expulsions(why).increment();
        LOG.log(System.Logger.Level.INFO, "closing session {0}: {1} ({2})",
                member, why.reason().getReasonPhrase(), why.code());
        pending.add(member);
        member.close(why);
    }

    /** A moderator sent the member away ({@code why} is KICKED or BANNED): its last word, then the close. */
    void sentAway(Member member, Expulsion why, Gate.Sendoff sendoff) {
        counters.expulsions(why).increment();
        LOG.log(System.Logger.Level.INFO, "closing session {0}: {1} ({2})",
                member, sendoff.reason().getReasonPhrase(), why.code());
        pending.add(member);
        member.sendAway(sendoff);
    }

    /**
     * Closes those that waited longer than the grace for their send in flight (the peer does not read on); forgets the
     * closed.
     */
    void closeStalled(long nowNanos, long graceNanos) {
        pending.removeIf(member -> member.closeIfGraceOver(nowNanos, graceNanos));
    }

    void closeAll(CloseReason reason) {
        pending.forEach(member -> member.closeNow(reason));
        pending.clear();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
