package chatroom.bench;

/**
 * One fresh server the benchmark runs its scenarios on: a container with the WAR under one set of JVM flags in one
 * protocol, with its durable store (the default) or without it ({@code chat.store.enabled=false}: the in-memory log,
 * the figure the store is held to); or the reference server (plain only).
 */
record Block(String container, String flags, String mode, boolean store) {
    static final Block REFERENCE = new Block("ws", "-", "plain");

    /** A block of the WAR as it ships: history in the store. */
    Block(String container, String flags, String mode) {
        this(container, flags, mode, true);
    }

    boolean isReference() {
        return this.equals(REFERENCE);
    }

    /** The same container, flags and protocol with the in-memory log: what this block's store is compared with. */
    Block inMemory() {
        return new Block(container, flags, mode, false);
    }

    /** How the block is named in the log, the tables and the targets, e.g. "tomcat readme v1" or "tomcat readme v1 memory". */
    String key() {
        return container + " " + flags + " " + mode + (store ? "" : " memory");
    }

    /** The store column of the tables: "on", "off", or "-" for the reference (it keeps no history). */
    String storeLabel() {
        return isReference() ? "-" : store ? "on" : "off";
    }
}
