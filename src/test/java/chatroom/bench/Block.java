package chatroom.bench;

/**
 * One fresh server the benchmark runs its scenarios on: a container with the WAR under one set of JVM flags in one
 * protocol, or the reference server (plain only).
 */
record Block(String container, String flags, String mode) {
    static final Block REFERENCE = new Block("ws", "-", "plain");

    boolean isReference() {
        return this.equals(REFERENCE);
    }

    /** How the block is named in the log, the tables and the targets, e.g. "tomcat readme v1". */
    String key() {
        return container + " " + flags + " " + mode;
    }
}
