package chatroom.store;

/** Whether the store has room for new messages: asked before every append, so it must answer from memory. */
public interface StoreSpace {
    /** A store nobody watches (the container's DataSource, whose disk is not this server's to see). */
    StoreSpace UNWATCHED = () -> null;

    /** Null while there is room; else why not, for /health and the log. */
    String shortage();
}
