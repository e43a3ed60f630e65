package chatroom.room;

import chatroom.log.MessageLog;
import chatroom.wire.ChatMessage;
import chatroom.wire.ErrorCode;
import chatroom.wire.Events;

/**
 * What a member connecting with {@code ?since=} gets before any live message, as {@link Resume} decides: the
 * retained messages after its id, or {@code reset} and all of them, with an {@code error} for a since it cannot
 * use. Only messages up to the id its welcome named: later ones reach it live.
 */
final class Replay {
    private Replay() {
    }

    /**
     * @param after    the id in {@code since}, or null when it is not one
     * @param joinedAt the newest id fanned out when the member joined
     * @param issued   the newest id the log had given out anywhere, or -1
     */
    static void queue(Member member, MessageLog log, Long after, long joinedAt, long issued) {
        MessageLog.Retained retained = after != null && after <= joinedAt ? log.retainedAfter(after) : null;
        long oldestKnownId = retained == null || retained.oldestId() == 0 ? joinedAt + 1 : retained.oldestId();
        switch (Resume.of(after, joinedAt, oldestKnownId, issued)) {
            case UNREADABLE -> member.noticeFirst(
                    Events.error(ErrorCode.BAD_REQUEST, "since must be a message id (a whole number >= 0)", null));
            case FROM_STREAM -> { } // the room skips ids up to it; the rest come live
            case AHEAD -> {
                member.noticeFirst(Events.error(ErrorCode.BAD_REQUEST, "since " + after
                        + " is ahead of this room's last id " + joinedAt + "; replaying what is retained", null));
                member.noticeFirst(Events.RESET);
                offer(member, log.retainedAfter(0), joinedAt);
            }
            case GAP -> {
                member.noticeFirst(Events.RESET);
                offer(member, log.retainedAfter(0), joinedAt);
            }
            case REPLAY -> offer(member, retained, joinedAt);
        }
    }

    private static void offer(Member member, MessageLog.Retained retained, long upTo) {
        for (ChatMessage message : retained.messages()) {
            if (message.id() <= upTo) {
                member.connection().offerReplay(member.protocol().frameOf(message));
            }
        }
    }
}
