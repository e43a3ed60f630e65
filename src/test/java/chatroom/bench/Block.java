package chatroom.bench;

import java.util.List;
import java.util.Map;

/**
 * One fresh server the benchmark runs its scenarios on: a container with the WAR under one set of JVM flags in one
 * protocol, with its durable store (the default) or without it ({@code chat.store.enabled=false}: the in-memory log,
 * the figure the store is held to); or a reference server (plain only).
 */
record Block(String container, String flags, String mode, boolean store) {
    /** uWebSockets.js: the fastest reference, the one every figure of the WAR is divided by where it ran. */
    static final Block UWS = new Block("uws", "-", "plain");
    /** The npm ws package's broadcast server: the yardstick where uWS could not run. */
    static final Block WS = new Block("ws", "-", "plain");
    /** The references in the order they run and are shown: the yardstick first. */
    static final List<Block> REFERENCES = List.of(UWS, WS);

    /** A block of the WAR as it ships: history in the store. */
    Block(String container, String flags, String mode) {
        this(container, flags, mode, true);
    }

    boolean isReference() {
        return REFERENCES.contains(this);
    }

    /**
     * The reference a scenario's figures are divided by: uWS where it has a row for that scenario, else ws (uWS
     * could not start, or was left out); ws also when neither ran, so that "no reference" reads the same either way.
     */
    static Block yardstick(Map<String, Map<String, Double>> medians, String scenario) {
        return medians.containsKey(scenario + "|" + UWS.key()) ? UWS : WS;
    }

    /** The same container, flags and protocol with the in-memory log: what this block's store is compared with. */
    Block inMemory() {
        return new Block(container, flags, mode, false);
    }

    /**
     * How the block is named in the log, the tables and the targets, e.g. "tomcat readme v1" or "tomcat readme v1
     * memory".
     */
    String key() {
        return container + " " + flags + " " + mode + (store ? "" : " memory");
    }

    /** The store column of the tables: "on", "off", or "-" for the references (they keep no history). */
    String storeLabel() {
        return isReference() ? "-" : store ? "on" : "off";
    }
}
