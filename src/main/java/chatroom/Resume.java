package chatroom;

/** How a connection with {@code ?since=<id>} is answered, from what the room knows. */
enum Resume {
    /** Not a message id: an {@code error}, then live messages only. */
    UNREADABLE,
    /** Ahead of this node but not of the backplane: this node has not read that far yet; they come live. */
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
     * @param oldestKnownId the oldest id a client can still get (the next id when nothing is retained)
     * @param issued        the newest id the backplane has given out, or -1 without one (or when it cannot say)
     */
    static Resume of(Long after, long lastId, long oldestKnownId, long issued) {
        if (after == null) {
            return UNREADABLE;
        }
        if (after > lastId) {
            return after <= issued ? FROM_STREAM : AHEAD;
        }
        return after < oldestKnownId - 1 ? GAP : REPLAY;
    }
}
