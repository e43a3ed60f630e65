package chatroom.room;

/** How a connection with {@code ?since=<id>} is answered, from what the room knows. */
enum Resume {
    /** Not a message id: an {@code error}, then live messages only. */
    UNREADABLE,
    /** Ahead of this node but not of the log: this node has not read that far yet; they come live. */
    FROM_STREAM,
    /** Ahead of every id ever given out (garbage, or a wiped store): an {@code error}, {@code reset}, the history. */
    AHEAD,
    /** Some messages after it are no longer retained (or a restart lost them): {@code reset}, the history. */
    GAP,
    /** Everything after it is retained: replay exactly that. */
    REPLAY;

    /**
     * @param after         the id the client has, or null when it sent something else
     * @param lastId        the newest id this node has
     * @param completeAfter every message of the room with a larger id can still be had (ids have gaps: one
     *                      sequence serves every room, so this is never worked out by counting)
     * @param issued        the newest id the log has given out on any node, or -1 when it cannot say
     */
    static Resume of(Long after, long lastId, long completeAfter, long issued) {
        if (after == null) {
            return UNREADABLE;
        }
        if (after > lastId) {
            return fromStream(after, lastId, issued) ? FROM_STREAM : AHEAD;
        }
        return after < completeAfter ? GAP : REPLAY;
    }

    /**
     * {@link #FROM_STREAM}, which the room must know while it registers the member (ids up to {@code after} must
     * not be queued live), before it reads the history that decides the other cases.
     */
    static boolean fromStream(Long after, long lastId, long issued) {
        return after != null && after > lastId && after <= issued;
    }

    /** The id in {@code ?since=}, or null when absent or not a whole number >= 0. */
    static Long parseSince(String since) {
        try {
            long after = since == null ? -1 : Long.parseLong(since.trim());
            return after < 0 ? null : after;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
