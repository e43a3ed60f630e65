package chatroom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The targets, read off the medians of one benchmark run: one row per target (the fanout and saturate ones once per
 * generator that ran them), one column per block of the WAR, each cell "met" or "missed by X" with the figure it was
 * read from. Ratios are to uWebSockets.js, the fastest reference, or to ws where uWS has no figure (the cell says
 * which); both references' figures stand in columns of their own. The store is held to the same block in memory.
 */
final class Targets {
    private final Map<String, Map<String, Double>> medians;
    private final List<Block> blocks;
    private final Bench.Config config;

    Targets(Map<String, Map<String, Double>> medians, List<Block> blocks, Bench.Config config) {
        this.medians = medians;
        this.blocks = blocks;
        this.config = config;
    }

    /** The reference column of a target that compares the WAR with itself: shows "-". */
    private static final String NO_REFERENCE = "";

    /**
     * A verdict for one block, or null where the scenario did not run for it. The reference columns show the
     * references' {@code referenceColumn} of the scenario, or {@code referenceCell}'s text where there is one.
     */
    private record Target(String name, String scenario, Function<Block, String> verdict, String referenceColumn,
                          Function<Block, String> referenceCell) {
        Target(String name, String scenario, Function<Block, String> verdict, String referenceColumn) {
            this(name, scenario, verdict, referenceColumn, null);
        }
    }

    /** How the rows of a scenario run with a generator are labelled. */
    private static final Map<String, String> GENERATOR_LABELS = Map.of("", "NIO clients", "@node", "Node ws clients");

    String report() {
        List<Target> targets = new ArrayList<>();
        for (String generator : List.of("", "@node")) {
            String fanout = "fanout" + generator;
            String saturate = "saturate" + generator;
            String by = " (" + GENERATOR_LABELS.get(generator) + ")";
            targets.add(new Target("plain: CPU per delivery at 1,000 clients x 100 msg/s <= 1.2x uWS's" + by, fanout,
                    inMode("plain", b -> atMostTimesReference(b, fanout, "srvUsPerDelivery", 1.2, "us")),
                    "srvUsPerDelivery"));
            targets.add(new Target("chat.v1: CPU per delivery at 1,000 clients x 100 msg/s <= 1.0x uWS's" + by, fanout,
                    inMode("v1", b -> atMostTimesReference(b, fanout, "srvUsPerDelivery", 1.0, "us")),
                    "srvUsPerDelivery"));
            targets.add(new Target("p99 at 1,000 clients x 100 msg/s <= 50 ms" + by, fanout,
                    b -> delivered(b, fanout) ? atMost(b, fanout, "p99ms", 50, "ms") : NOTHING, "p99ms"));
            targets.add(new Target("100 % delivered at 1,000 clients x 100 msg/s" + by, fanout,
                    b -> hundred(b, fanout, "delivered%"), "delivered%"));
            targets.add(new Target("plain: highest rate held at 1,000 clients >= uWS's" + by, saturate,
                    inMode("plain", b -> heldRate(b, saturate, 1)), "heldRate"));
            targets.add(new Target("chat.v1: highest rate held at 1,000 clients >= 4x uWS's" + by, saturate,
                    inMode("v1", b -> heldRate(b, saturate, 4)), "heldRate"));
        }
        int perRoom = Math.max(1, config.roomsConnections() / config.roomsCount());
        String rooms = String.format(Locale.ROOT, "rooms (%,d in %,d rooms of %,d, 1 msg/s each)",
                perRoom * config.roomsCount(), config.roomsCount(), perRoom);
        String roomStorm = String.format(Locale.ROOT, "join storm into rooms (%,d at once into %,d rooms)",
                config.roomStormClients(), config.roomStormRooms());
        String moderated = String.format(Locale.ROOT, "moderated fanout (%,d bans, %,d mutes held)",
                config.moderationBans(), config.moderationMutes());
        targets.addAll(List.of(
                new Target(moderated + ": CPU per delivery <= 1.05x the same block's plain fanout", "fanoutmod",
                        this::moderatedAgainstPlain, NO_REFERENCE),
                new Target(moderated + ": 100 % delivered", "fanoutmod", b -> hundred(b, "fanoutmod", "delivered%"),
                        NO_REFERENCE),
                new Target("conns: all admitted, all receive a broadcast", "conns", this::allConns, "received"),
                new Target("conns: <= 16 KiB per connection (RSS growth, or live heap where larger)", "conns",
                        b -> memoryPerConnection(b, "conns"), "kibPerConn"),
                new Target("slow: 100 % to the healthy", "slow", b -> hundred(b, "slow", "healthyDelivered%"),
                        "healthyDelivered%"),
                new Target("slow: healthy p99 within 2x of the control run", "slow",
                        b -> atMost(b, "slow", "p99/control", 2, "x"), "p99/control"),
                new Target("slow: 0 healthy readers cut", "slow", b -> zero(b, "slow", "healthyCut"), "healthyCut"),
                new Target("slow: the stalled cut with a visible 1013", "slow", this::stalledCut, "slowClosed1013"),
                new Target("slow: RSS growth <= 64 MiB", "slow", b -> atMost(b, "slow", "rssGrowthMiB", 64, "MiB"),
                        "rssGrowthMiB"),
                new Target("storm: 100 % delivered", "storm", b -> hundred(b, "storm", "delivered%"), "delivered%"),
                new Target("storm: 0 readers cut", "storm", b -> zero(b, "storm", "unexpectedCloses"),
                "unexpectedCloses"),
                new Target("join storm: 100 % delivered", "joinstorm", b -> hundred(b, "joinstorm", "delivered%"),
                        "delivered%"),
                new Target("join storm: 0 members cut", "joinstorm", b -> zero(b, "joinstorm", "cut"), "cut"),
                new Target(rooms + ": CPU per delivery <= 1.2x the same server's one-room fanout", "rooms",
                        this::roomsAgainstFanout, "srvUsPerDelivery", this::ownRoomsToFanout),
                new Target(rooms + ": CPU per delivery <= 1.2x uWS's in rooms", "rooms",
                        b -> atMostTimesReference(b, "rooms", "srvUsPerDelivery", 1.2, "us"), "srvUsPerDelivery"),
                new Target(rooms + ": every message to every member of its room, none to another", "rooms",
                        this::roomsDelivered, "delivered%"),
                new Target(rooms + ": <= 16 KiB per connection (RSS growth, or live heap where larger)", "rooms",
                        b -> memoryPerConnection(b, "rooms"), "kibPerConn"),
                new Target(roomStorm + ": 100 % delivered", "roomstorm", b -> hundred(b, "roomstorm", "delivered%"),
                        "delivered%"),
                new Target(roomStorm + ": 0 members cut", "roomstorm", b -> zero(b, "roomstorm", "cut"), "cut"),
                new Target("two nodes: highest rate held >= one node's", "twonode", this::twoNodes, "heldRate"),
                new Target("store: fanout CPU per delivery <= 1.15x memory's", "fanout",
                        b -> storeFanout(b, "srvUsPerDelivery", "us"), NO_REFERENCE),
                new Target("store: fanout p99 <= 1.15x memory's", "fanout",
                        b -> storeFanout(b, "p99ms", "ms"), NO_REFERENCE),
                new Target("store: highest rate held >= 0.85x memory's", "saturate",
                        b -> storeVersusMemory(b, "saturate", "heldRate", "msg/s", true), NO_REFERENCE)));
        List<Block> war = blocks.stream().filter(b -> !b.isReference()).toList();
        StringBuilder out = new StringBuilder("## Targets (ratios to uWS, to ws where uWS has no figure; the store"
                + " against the same block in memory)\n\n| target | uWS | ws |");
        war.forEach(b -> out.append(' ').append(b.key()).append(" |"));
        out.append("\n|---|---|---|");
        war.forEach(b -> out.append("---|"));
        out.append('\n');
        for (Target target : targets) {
            List<String> cells = new ArrayList<>();
            boolean any = false;
            for (Block block : war) {
                String verdict = row(target.scenario(), block) == null ? null : target.verdict().apply(block);
                any |= verdict != null;
                cells.add(verdict == null ? "-" : verdict);
            }
            if (!any) {
                continue;
            }
            out.append("| ").append(target.name()).append(" |");
            for (Block reference : Block.REFERENCES) {
                Double ref = value(target.scenario(), reference, target.referenceColumn());
                String cell = target.referenceCell() != null ? target.referenceCell().apply(reference)
                        : ref == null ? null : Bench.number(ref);
                out.append(' ').append(cell == null ? "-" : cell).append(" |");
            }
            cells.forEach(c -> out.append(' ').append(c).append(" |"));
            out.append('\n');
        }
        return out.toString();
    }

    /** A target of one protocol: no verdict ("-") for the blocks of the other. */
    private static Function<Block, String> inMode(String mode, Function<Block, String> verdict) {
        return block -> block.mode().equals(mode) ? verdict.apply(block) : null;
    }

    /** How a cell names the reference it divided by: "uWS's", or "ws's (no uWS figure)" where it fell back. */
    private String yardstickName(String scenario) {
        return Block.yardstick(medians, scenario).equals(Block.UWS) ? "uWS's" : "ws's (no uWS figure)";
    }

    private static final String NOTHING = "not measured: nothing of the period arrived in it";

    /** Whether anything sent in the period arrived in it: a latency or a cost per delivery needs deliveries. */
    private boolean delivered(Block block, String scenario) {
        Double v = value(scenario, block, "deliveredPerS");
        return v != null && v > 0;
    }

    private Map<String, Double> row(String scenario, Block block) {
        return medians.get(scenario + "|" + block.key());
    }

    private Double value(String scenario, Block block, String column) {
        Map<String, Double> row = row(scenario, block);
        return row == null ? null : row.get(column);
    }

    private static String met(String figure) {
        return "met (" + figure + ")";
    }

    private static String missed(String by, String figure) {
        return "**missed by " + by + "** (" + figure + ")";
    }

    private String atMost(Block block, String scenario, String column, double limit, String unit) {
        Double v = value(scenario, block, column);
        if (v == null) {
            return null;
        }
        String figure = Bench.number(v) + " " + unit;
        return v <= limit ? met(figure) : missed(Bench.number(v - limit) + " " + unit, figure);
    }

    /**
     * The RSS the connections added, unless the live heap they hold is larger: a JVM that committed its heap before
     * the connections came shows little or even negative RSS growth for them (-76 KiB per connection was printed as
     * "met"), while the heap they keep alive after a full collection cannot read low.
     */
    private String memoryPerConnection(Block block, String scenario) {
        Double rss = value(scenario, block, "kibPerConn");
        Double heap = value(scenario, block, "heapKiBPerConn");
        if (rss == null) {
            return null;
        }
        boolean heapDecides = heap != null && heap > rss;
        double v = heapDecides ? heap : rss;
        String figure = heapDecides
                ? Bench.number(heap) + " KiB live heap; RSS growth " + Bench.number(rss) + " KiB"
                : Bench.number(rss) + " KiB RSS growth";
        return v <= 16 ? met(figure) : missed(Bench.number(v - 16) + " KiB", figure);
    }

    private String hundred(Block block, String scenario, String column) {
        Double v = value(scenario, block, column);
        if (v == null) {
            return null;
        }
        String figure = String.format(Locale.ROOT, "%.3f %%", v);
        return v >= 100 ? met(figure) : missed(String.format(Locale.ROOT, "%.3f points", 100 - v), figure);
    }

    private String zero(Block block, String scenario, String column) {
        Double v = value(scenario, block, column);
        if (v == null) {
            return null;
        }
        return v == 0 ? met("0") : missed(Bench.number(v), Bench.number(v));
    }

    private String atMostTimesReference(Block block, String scenario, String column, double times, String unit) {
        Double v = value(scenario, block, column);
        Double ref = value(scenario, Block.yardstick(medians, scenario), column);
        if (v == null) {
            return null;
        }
        if (v == 0) {
            return NOTHING;
        }
        if (ref == null || ref == 0) {
            return "no reference (" + Bench.number(v) + " " + unit + ")";
        }
        double r = v / ref;
        String figure = Bench.number(v) + " " + unit + ", " + Bench.ratio(r) + " " + yardstickName(scenario);
        return r <= times ? met(figure) : missed(Bench.ratio(r / times), figure);
    }

    /**
     * The highest rate the block held against {@code times} the reference's. Where the block's own limit was the
     * generator's (it could not send the failing step, or every step held) and that is below the target, the target
     * cannot be judged on this machine: it says so rather than met or missed.
     */
    private String heldRate(Block block, String scenario, double times) {
        Double v = value(scenario, block, "heldRate");
        if (v == null) {
            return null;
        }
        Block yardstick = Block.yardstick(medians, scenario);
        Double ref = value(scenario, yardstick, "heldRate");
        Double generatorLimited = value(scenario, block, "genLimited");
        boolean ownCeiling = generatorLimited != null && generatorLimited > 0;
        String figure = Bench.number(v) + " msg/s";
        if (ref == null) {
            return "no reference (" + figure + (ownCeiling ? ", the generator's ceiling" : "") + ")";
        }
        if (ref == 0) {
            return "not measured: the reference held no step either (" + figure + "; see load1)";
        }
        double wanted = times * ref;
        Double refLimited = value(scenario, yardstick, "genLimited");
        String about = ", " + Bench.ratio(v / ref) + " " + yardstickName(scenario)
                + (refLimited != null && refLimited > 0 ? ", whose is the generator's ceiling" : "");
        if (v >= wanted) {
            return met(figure + about);
        }
        if (ownCeiling) {
            return "not measurable here: " + figure + " is the generator's ceiling, under the " + Bench.number(wanted)
                    + " msg/s wanted" + " (" + figure + about + ")";
        }
        return missed(Bench.number(wanted - v) + " msg/s", figure + about);
    }

    /**
     * CPU per delivery in many small rooms against the same block's one-room fanout (1,000 clients x 100 msg/s) of
     * the same run: rooms must not make a delivery dearer. Only the WAR's blocks are judged; a reference's own ratio
     * stands in its column ({@link #ownRoomsToFanout}), for what the shape of the load costs any server.
     */
    private String roomsAgainstFanout(Block block) {
        return againstFanout(block, "rooms", "no fanout figure", "fanout in bench.scenarios gives one", (v, fanout) -> {
            double r = v / fanout;
            String figure = Bench.number(v) + " vs " + Bench.number(fanout) + " us, " + Bench.ratio(r) + " fanout's";
            return r <= 1.2 ? met(figure) : missed(Bench.ratio(r / 1.2), figure);
        });
    }

    /** What the ban and mute checks may add to a delivery's CPU: 5 % of the plain fanout's. */
    private static final double MODERATION_MARGIN = 0.05;

    /**
     * The moderated fanout's CPU per delivery against the same block's plain fanout (same run): the ratio of the two
     * medians decides; the median of the runs' own ratios ({@code cpu/plain}, each run's pair measured a minute or
     * two apart) stands beside it. Three decimals: the margin is 5 %.
     */
    private String moderatedAgainstPlain(Block block) {
        return againstFanout(block, "fanoutmod", "no plain fanout figure", "fanout before fanoutmod gives one",
                (v, plain) -> {
                    double limit = plain * (1 + MODERATION_MARGIN);
                    Double paired = value("fanoutmod", block, "cpu/plain");
                    String figure = Bench.number(v) + " vs " + Bench.number(plain) + " us, "
                            + String.format(Locale.ROOT, "%.3fx", v / plain) + " plain's" + (paired == null ? ""
                            : String.format(Locale.ROOT, "; runs' own ratios: median %.3fx", paired));
                    return v <= limit ? met(figure) : missed(String.format(Locale.ROOT, "%.3f us", v - limit), figure);
                });
    }

    /**
     * A scenario's CPU per delivery against the same block's fanout, judged by {@code judge(figure, fanout's)} where
     * both periods delivered something; null where the scenario did not run, else what is missing.
     */
    private String againstFanout(Block block, String scenario, String noFanout, String howToGetOne,
                                 BiFunction<Double, Double, String> judge) {
        Double v = value(scenario, block, "srvUsPerDelivery");
        if (v == null) {
            return null;
        }
        if (v == 0 || !delivered(block, scenario)) {
            return NOTHING;
        }
        Double fanout = value("fanout", block, "srvUsPerDelivery");
        if (fanout == null || fanout == 0 || !delivered(block, "fanout")) {
            return noFanout + " (" + Bench.number(v) + " us; " + howToGetOne + ")";
        }
        return judge.apply(v, fanout);
    }

    /** A reference's CPU per delivery in rooms against its own one-room fanout, e.g. "1.3x (4 vs 3 us)". */
    private String ownRoomsToFanout(Block reference) {
        Double rooms = value("rooms", reference, "srvUsPerDelivery");
        Double fanout = value("fanout", reference, "srvUsPerDelivery");
        if (rooms == null) {
            return null;
        }
        if (fanout == null || fanout == 0) {
            return Bench.number(rooms);
        }
        return Bench.ratio(rooms / fanout) + " (" + Bench.number(rooms) + " vs " + Bench.number(fanout) + " us)";
    }

    /** 100 % delivered within each room, and nothing from another room arrived ({@code foreign}). */
    private String roomsDelivered(Block block) {
        String delivered = hundred(block, "rooms", "delivered%");
        Double foreign = value("rooms", block, "foreign");
        if (delivered == null || foreign == null || foreign == 0) {
            return delivered;
        }
        return missed(Bench.number(foreign) + " from another room", String.format(Locale.ROOT, "%.3f %%",
                value("rooms", block, "delivered%")) + ", " + Bench.number(foreign) + " from another room");
    }

    private String allConns(Block block) {
        Map<String, Double> row = row("conns", block);
        int wanted = block.mode().equals("v1") ? config.connsV1() : config.conns();
        double opened = row.getOrDefault("opened", 0.0);
        double received = row.getOrDefault("received", 0.0);
        double held = row.getOrDefault("held", 0.0);
        String figure = Bench.number(opened) + " admitted in "
                + Bench.number(row.getOrDefault("connectS", 0.0)) + " s, "
                + Bench.number(held) + " held, " + Bench.number(received) + " received";
        double worst = Math.min(opened, Math.min(held, received));
        return worst >= wanted ? met(figure) : missed(Bench.number(wanted - worst) + " connections", figure);
    }

    private String stalledCut(Block block) {
        Double v = value("slow", block, "slowClosed1013");
        if (v == null) {
            return null;
        }
        String figure = Bench.number(v) + " of " + config.slowCount() + " saw 1013";
        return v >= config.slowCount() ? met(figure) : missed(Bench.number(config.slowCount() - v), figure);
    }

    /** The store may cost at most this fraction of the in-memory log's figure. */
    private static final double STORE_MARGIN = 0.15;

    /**
     * A block with the store against the same container, flags and protocol without it (same run): within 15 %,
     * worse meaning higher for a cost or latency, lower for a rate. Null for the blocks without the store (they are
     * the yardstick), "no memory block" where it did not run.
     */
    private String storeVersusMemory(Block block, String scenario, String column, String unit, boolean higherIsBetter) {
        if (!block.store()) {
            return null;
        }
        Double withStore = value(scenario, block, column);
        if (withStore == null) {
            return null;
        }
        Double memory = value(scenario, block.inMemory(), column);
        if (memory == null) {
            return "no memory block (" + Bench.number(withStore) + " " + unit
                    + "; -Dbench.stores=on,off runs one for the first flag set)";
        }
        String figure = Bench.number(withStore) + " vs " + Bench.number(memory) + " " + unit;
        if (memory == 0) {
            return "not comparable: memory's is 0 (" + figure + ")";
        }
        double limit = higherIsBetter ? memory * (1 - STORE_MARGIN) : memory * (1 + STORE_MARGIN);
        figure += ", " + Bench.ratio(withStore / memory) + " memory's";
        boolean met = higherIsBetter ? withStore >= limit : withStore <= limit;
        return met ? met(figure) : missed(Bench.number(Math.abs(withStore - limit)) + " " + unit, figure);
    }

    /** A fanout figure of the store's block against memory's: needs deliveries in both periods. */
    private String storeFanout(Block block, String column, String unit) {
        if (!block.store()) {
            return null;
        }
        boolean memoryRan = row("fanout", block.inMemory()) != null;
        if (!delivered(block, "fanout") || (memoryRan && !delivered(block.inMemory(), "fanout"))) {
            return NOTHING;
        }
        return storeVersusMemory(block, "fanout", column, unit, false);
    }

    private String twoNodes(Block block) {
        Double two = value("twonode", block, "heldRate");
        Double one = value("saturate", block, "heldRate");
        if (two == null) {
            return null;
        }
        if (one == null) {
            return "no single-node figure (add saturate; two nodes: " + Bench.number(two) + " msg/s)";
        }
        String figure = Bench.number(two) + " vs " + Bench.number(one) + " msg/s";
        return two >= one ? met(figure) : missed(Bench.number(one - two) + " msg/s", figure);
    }
}
