package chatroom.room;

import chatroom.log.MessageLog;
import chatroom.wire.ChatMessage;
import chatroom.wire.ErrorCode;
import chatroom.wire.Events;
import java.util.List;

/**
 * What a member connecting with {@code ?since=} gets before any live message, as {@link Resume} decides: the
 * retained messages after its id, or {@code reset} and all of them, with an {@code error} for a since it cannot
 * use. Only messages up to the id its welcome named: later ones reach it live.
 *
 * <p>The member's connection takes the replay a piece at a time, as the peer reads (see {@code Connection}).
 * A replay is bounded in bytes as well as by the retained history: one resume must not cost the server (and the
 * client) many megabytes because the history holds long texts. When the missed messages do not all fit, the newest
 * that fit are sent after a {@code reset}, which tells the client that older ones are missing (the page marks the
 * spot and can load them with {@code /history}).
 */
final class Replay {
    private Replay() {
    }

    /**
     * @param after    the id in {@code since}, or null when it is not one
     * @param joinedAt the newest id fanned out when the member joined
     * @param issued   the newest id the log had given out anywhere, or -1
     * @param maxBytes the most a replay may queue, in encoded bytes
     */
    static void queue(Member member, MessageLog log, String room, Long after, long joinedAt, long issued,
            int maxBytes) {
        MessageLog.Retained retained = after != null && after <= joinedAt ? log.retainedAfter(room, after) : null;
        long completeAfter = retained == null ? joinedAt : retained.completeAfter();
        switch (Resume.of(after, joinedAt, completeAfter, issued)) {
            case UNREADABLE -> member.noticeFirst(
                    Events.error(ErrorCode.BAD_REQUEST, "since must be a message id (a whole number >= 0)", null));
            case FROM_STREAM -> { } // the room skips ids up to it; the rest come live
            case AHEAD -> {
                member.noticeFirst(Events.error(ErrorCode.BAD_REQUEST, "since " + after
                        + " is ahead of this room's last id " + joinedAt + "; replaying what is retained", null));
                member.noticeFirst(Events.RESET);
                offer(member, log.retainedAfter(room, 0), joinedAt, maxBytes, true);
            }
            case GAP -> {
                member.noticeFirst(Events.RESET);
                offer(member, log.retainedAfter(room, 0), joinedAt, maxBytes, true);
            }
            case REPLAY -> offer(member, retained, joinedAt, maxBytes, false);
        }
    }

    private static void offer(Member member, MessageLog.Retained retained, long upTo, int maxBytes, boolean resetSent) {
        List<ChatMessage> messages = retained.messages();
        int end = messages.size();
        while (end > 0 && messages.get(end - 1).id() > upTo) {
            end--;
        }
        int start = end;
        long bytes = 0;
        while (start > 0 && bytes + member.protocol().frameOf(messages.get(start - 1)).bytes() <= maxBytes) {
            start--;
            bytes += member.protocol().frameOf(messages.get(start)).bytes();
        }
        if (start > 0 && !resetSent) {
            member.noticeFirst(Events.RESET); // the oldest missed messages do not fit: say some are missing
        }
        // Encoded as sent, a piece at a time: the frames are the history's own, computed once per protocol.
        member.replay(messages.subList(start, end).stream().map(member.protocol()::frameOf).iterator());
    }
}
