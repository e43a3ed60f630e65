package chatroom.bench;

import chatroom.testing.ChatServer;
import chatroom.testing.StandaloneJetty;
import chatroom.testing.RedisServer;
import chatroom.testing.SignInSetups;
import chatroom.testing.StandaloneServer;
import chatroom.testing.StandaloneTomcat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark: starts the packaged WAR in the standalone Tomcat 11 and Jetty 12 distributions (one fresh server
 * per container, mode and run), drives it from {@link LoadWorker} processes on loopback and prints one table per
 * scenario with the median of the runs. Run through {@code mvn -Pbench verify}; every knob is a system property
 * {@code bench.*} (see {@link #main}). Every loop and wait here is bounded.
 */
public final class Bench {
    // HTTP/1.1: the default first request asks to upgrade to h2c, which Node's server (the reference) hands to the
    // WebSocket server as an upgrade, which refuses it.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final long CLOCK_TICK_NANOS = 10_000_000; // USER_HZ = 100 on Linux

    /** The chat settings raised for the benchmark; everything else is the WAR's default. */
    static final List<String> CHAT_SETTINGS = List.of(
            // The per-connection product limit (20 msg/s) would refuse the senders' traffic: raised so one
            // connection can stand for many users; the room itself is what is measured.
            "-Dchat.rate.perSecond=100000",
            "-Dchat.rate.burst=100000",
            // Every load connection comes from 127.0.0.1: one address's budget and connection cap lifted likewise.
            "-Dchat.rate.perAddress=10000000",
            "-Dchat.rate.burstPerAddress=10000000",
            "-Dchat.connections.perAddress=1000000",
            // ... and what it may store in a day (a benchmark stores gigabytes from that one address).
            "-Dchat.store.bytesPerClientPerDay=0",
            // The slow scenario sends 8 KiB messages; the default text limit is 2000 characters.
            "-Dchat.text.maxLength=8192",
            "-Dchat.message.maxBytes=16384");

    private final Config config;
    /** Every generator's worker processes, by generator (nio, node). */
    private final Map<String, List<Worker>> generators = new LinkedHashMap<>();
    /** The worker processes of the generator driving the scenario that runs. */
    private List<Worker> workers = List.of();
    private final Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final StringBuilder log = new StringBuilder();
    /** The server of the block that runs: a container with the WAR, or the reference server. */
    private ChatServer server;
    /** The other node of the twonode scenario while it runs; null otherwise. */
    private StandaloneServer second;
    /** Longest wait for a quiet machine before a block. */
    private static final long QUIET_WAIT_MILLIS = 60_000;
    /** Quiet: the whole machine used less than this share of its cores over a second. */
    private static final double QUIET_BUSY = 0.15;
    /** The JVM flags of the block that runs (a container with the WAR). */
    private List<String> flagJvm = List.of();
    /** Tomcat's JVM options on top of those, for the current block. */
    private List<String> tomcatJvm = List.of();
    /** The block's plain fanout row of this run (LoadWorker's clients), what fanoutmod is divided by; or null. */
    private Map<String, Double> plainFanout;
    /** What the sanctions of fanoutmod came to on the block's server, once imposed; null before. */
    private Map<String, Double> sanctions;

    record Config(List<String> containers, List<String> modes, List<String> scenarios, int runs, int workers,
                  int conns, int connsV1, int connsMillis, int clients, int senders, int fanoutRate, int fanoutMillis,
                  int stepMillis, List<Integer> steps, int slowHealthy, int slowCount, int slowRate, int slowSize,
                  int slowMillis, int stormClients, int stormWindow, int stormMillis, int joinClients, int churnClients,
                  int churnRate, int churnMillis, int roomsConnections, int roomsCount, int roomsMillis,
                  int roomStormClients, int roomStormRooms, int moderationBans, int moderationMutes,
                  List<String> flags, Map<String, List<String>> flagJvm,
                  List<String> tomcatJvm, List<String> tomcatConnector, List<String> jettyProperties,
                  List<String> references, List<String> generators, List<String> nodeScenarios,
                  String reader, Path out) {

        /** The flags that matter for CPU, throughput and memory run everything; other flag sets a subset. */
        private static final List<String> FLAG_SENSITIVE = List.of("fanout", "saturate", "slow", "conns");

        /**
         * The scenarios of a block with this flag set: {@code bench.scenarios.<flags>} when given; otherwise all for
         * the first flag set and, to keep the default run near 30 minutes, only the flag-sensitive ones (cpu/fanout,
         * saturate, slow, conns) for the others.
         */
        List<String> scenariosFor(String flagSet) {
            if (flagSet.equals("-") || flags.isEmpty() || flagSet.equals(flags.get(0))) {
                return System.getProperty("bench.scenarios." + flagSet) == null ? scenarios
                        : list("bench.scenarios." + flagSet, "");
            }
            return list("bench.scenarios." + flagSet, scenarios.stream().filter(FLAG_SENSITIVE::contains)
                    .collect(Collectors.joining(",")));
        }

        /** What the store-versus-memory targets read: the only scenarios a block without the store runs by default. */
        private static final List<String> STORE_COMPARED = List.of("fanout", "saturate");

        /**
         * The scenarios of {@code block}: those of its flag set; for a block without the store (there only to be
         * compared with the store's block), {@code bench.scenarios.memory} or else those of its flag set's that the
         * comparison reads (fanout, saturate).
         */
        List<String> scenariosFor(Block block) {
            List<String> ofFlags = scenariosFor(block.flags());
            if (block.store()) {
                return ofFlags;
            }
            // Never twonode: it restarts the nodes with the store, and no target compares it without.
            return list("bench.scenarios.memory", ofFlags.stream().filter(STORE_COMPARED::contains)
                    .collect(Collectors.joining(","))).stream().filter(s -> !s.equals("twonode")).toList();
        }

        /**
         * {@code bench.stores}: "on" runs the WAR as it ships (history in its store), "off" adds, for the first flag
         * set only (to keep the default run near its time), a block of each container and protocol with
         * {@code chat.store.enabled=false}, next to the store's, for the target "store within 15 % of memory".
         */
        static List<String> stores() {
            List<String> stores = list("bench.stores", "on,off");
            if (!List.of("on", "off").containsAll(stores)) {
                throw new IllegalArgumentException("bench.stores takes on, off or both, not " + stores);
            }
            return stores;
        }

        static Config fromSystemProperties() {
            List<String> flags = list("bench.flags", "readme,default");
            Map<String, List<String>> flagJvm = new LinkedHashMap<>();
            for (String name : flags) {
                // "readme": what the README tells users to set (-Xmx2g for 19,000 connections, a fixed young
                // generation large enough that messages leave the history before they are promoted: with 64m the
                // slow scenario's RSS grew 11-182 MiB, with 256m 1-69, docs/TUNING.md); "default": nothing,
                // the container's and the JVM's own defaults (G1, a quarter of the RAM as the heap's maximum).
                flagJvm.put(name, list("bench.jvm." + name, name.equals("readme") ? "-Xmx2g,-Xmn256m" : ""));
            }
            return new Config(
                    list("bench.containers", "tomcat,jetty"),
                    list("bench.modes", "plain,v1"),
                    list("bench.scenarios", "fanout,saturate,slow,storm,joinstorm,churn,conns,rooms,roomstorm"),
                    integer("bench.runs", 1),
                    integer("bench.workers", 2),
                    integer("bench.conns", 19000),
                    integer("bench.conns.v1", 19000),
                    integer("bench.conns.millis", 90000),
                    integer("bench.clients", 1000),
                    integer("bench.senders", 10),
                    integer("bench.fanout.rate", 100),
                    integer("bench.fanout.millis", 10000),
                    integer("bench.saturate.stepMillis", 3000),
                    list("bench.saturate.steps", "100,200,300,400,500,600,800,1000,1200,1600,2000,2500,3200").stream()
                            .map(Integer::parseInt).toList(),
                    integer("bench.slow.healthy", 200),
                    integer("bench.slow.count", 5),
                    integer("bench.slow.rate", 200),
                    integer("bench.slow.size", 8192),
                    integer("bench.slow.millis", 20000),
                    integer("bench.storm.clients", 50),
                    integer("bench.storm.window", 8),
                    integer("bench.storm.millis", 4000),
                    integer("bench.joinstorm.clients", 2000),
                    integer("bench.churn.clients", 200),
                    integer("bench.churn.rate", 200),
                    integer("bench.churn.millis", 5000),
                    // The usual shape of a busy chat server: 19,000 people in a thousand small rooms, each room
                    // talking at 1 msg/s; and a join storm spread over as many rooms.
                    integer("bench.rooms.connections", 19000),
                    integer("bench.rooms.count", 1000),
                    integer("bench.rooms.millis", 20000),
                    integer("bench.roomstorm.clients", 2000),
                    integer("bench.roomstorm.rooms", 1000),
                    // fanoutmod: the sanctions the ban and mute checks look through on every post.
                    integer("bench.moderation.bans", 1000),
                    integer("bench.moderation.mutes", 1000),
                    flags,
                    flagJvm,
                    // Extra JVM options for Tomcat, after the README's (readme flags only, StandaloneTomcat.README_JVM:
                    // 4 KiB WebSocket buffers), so a -D here overrides it.
                    list("bench.tomcat.jvm", ""),
                    // The README's connector, for every flag set: room for the conns scenario's 19,000 (Tomcat
                    // accepts 8192 by default) and 1 KiB socket buffers. Per idle connection, Tomcat's defaults hold
                    // 48 KiB of heap, these 35 KiB, with the README's JVM option 23 KiB (docs/TUNING.md).
                    list("bench.tomcat.connector", new TreeMap<>(StandaloneTomcat.README_CONNECTOR).entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","))),
                    // Jetty listens with the JVM's default backlog of 50: a join storm overflows it whenever the server
                    // is a moment slow to accept (after saturate: thousands of listen overflows, SYNs retried 1, 3, 7,
                    // 15,
                    // 31 s later, 60 s to admit 2,000). The same queue as Tomcat's acceptCount above.
                    list("bench.jetty.properties", "jetty.http.acceptQueueSize=1000"),
                    // uWS first: the yardstick of every ratio; ws beside it. Both pinned in src/test/node's lock
                    // file: a reference must not move under the figures between two runs. -Dbench.reference=false:
                    // none.
                    System.getProperty("bench.reference", "true").equals("false") ? List.of()
                            : list("bench.references", "uws,ws"),
                    // nio: LoadWorker's clients; node: ws-load.js's ws clients (a read per frame, text decoded), for
                    // the scenarios in bench.scenarios.node; both: those scenarios run once with each.
                    list("bench.generators", "nio"),
                    list("bench.scenarios.node", "fanout"),
                    // e.g. 16384/1: every client reads at most 16 KiB at a time, then nothing for 1 ms (see LoadWorker)
                    System.getProperty("bench.reader", ""),
                    Path.of(System.getProperty("bench.out", "target/bench")));
        }

        /** The scenarios the Node generator can run: those that only connect, send, count and close. */
        static final List<String> NODE_CAPABLE = List.of("fanout", "saturate", "storm");

        /**
         * The generators a scenario runs with, in order: each of {@code bench.generators} that runs it (nio runs
         * every scenario; node those of {@code bench.scenarios.node}); empty when none of them does.
         */
        List<String> generatorsFor(String scenario) {
            return generators.stream().filter(g -> g.equals("nio") || nodeScenarios.contains(scenario)).toList();
        }

        /** Refuses a generator, reference or Node scenario the benchmark does not know, before anything starts. */
        void check() {
            if (!List.of("nio", "node").containsAll(generators) || generators.isEmpty()) {
                throw new IllegalArgumentException("bench.generators takes nio, node or both, not " + generators);
            }
            if (!NODE_CAPABLE.containsAll(nodeScenarios)) {
                throw new IllegalArgumentException("bench.scenarios.node: the node generator runs only " + NODE_CAPABLE
                        + ", not " + nodeScenarios);
            }
            if (!List.of("uws", "ws").containsAll(references)) {
                throw new IllegalArgumentException("bench.references takes uws, ws or both, not " + references);
            }
            checkModerated(scenarios);
        }

        /**
         * fanoutmod is read against the same block's plain fanout of the same run, and leaves its sanctions on the
         * server for the rest of the block: fanout must come before it.
         */
        static void checkModerated(List<String> scenarios) {
            int moderated = scenarios.indexOf("fanoutmod");
            if (moderated >= 0 && !scenarios.subList(0, moderated).contains("fanout")) {
                throw new IllegalArgumentException("bench.scenarios: fanoutmod is compared with fanout, which must"
                        + " come before it (the sanctions stay for the rest of the block), not " + scenarios);
            }
        }

        static List<String> list(String name, String fallback) {
            return Arrays.stream(System.getProperty(name, fallback).split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
        }

        private static int integer(String name, int fallback) {
            return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)));
        }
    }

    /**
     * What a scenario's results are kept and shown under: the scenario's own name with LoadWorker's clients (nio),
     * e.g. {@code fanout@node} with the Node generator's.
     */
    static String measured(String scenario, String generator) {
        return generator.equals("nio") ? scenario : scenario + "@" + generator;
    }

    private Bench(Config config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromSystemProperties();
        Bench bench = new Bench(config);
        try {
            bench.run();
        } finally {
            bench.stopWorkers();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- the whole run

    private void run() throws IOException {
        Files.createDirectories(config.out());
        say("# Chatroom benchmark " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        say(machine());
        say("config: " + config);
        say("stores: " + Config.stores());
        config.check();
        Optional<String> noNode = NodeModules.unavailable();
        Optional<String> noReference = config.references().isEmpty() ? Optional.of("-Dbench.reference=false") : noNode;
        if (noReference.isPresent()) {
            say("\n!!! NO REFERENCE SERVER in this run: " + noReference.get()
                    + ". The WAR's figures below have nothing to be compared with: no ratios, and the targets"
                    + " that are ratios read \"no reference\". !!!\n");
        } else if (!config.references().contains("uws")) {
            say("\n!!! uWS left out (bench.references=" + String.join(",", config.references())
                    + "): the ratios of this run are to ws, the slower reference. !!!\n");
        }
        if (config.generators().contains("node") && noNode.isPresent()) {
            throw new IllegalStateException("the node generator cannot run here: " + noNode.get());
        }
        blocks.addAll(blocks(noReference.isEmpty()));
        startWorkers();
        long begin = System.nanoTime();
        for (int run = 1; run <= config.runs(); run++) {
            for (Block block : blocks) {
                String key = block.key();
                String quiet = awaitQuietMachine();
                say("\n== run " + run + "/" + config.runs() + ": " + key + " (load " + loadAverage() + "; "
                        + quiet + ")");
                try {
                    startServer(block, run);
                } catch (RuntimeException e) {
                    say("FAILED to start " + key + ": " + e);
                    if (block.equals(Block.UWS)) {
                        say("\n!!! uWS COULD NOT START: " + e.getMessage() + ". Where it has no figure, the ratios"
                                + " of this run are to ws, the slower reference. !!!\n");
                    }
                    continue;
                }
                try {
                    for (String scenario : config.scenariosFor(block)) {
                        if (block.isReference() && scenario.equals("twonode")) {
                            continue; // one node of a reference has no backplane
                        }
                        if (config.generatorsFor(scenario).isEmpty()) {
                            say(scenario + ": not run, no generator of bench.generators=" + config.generators()
                                    + " runs it (node: only bench.scenarios.node)");
                        }
                        for (String generator : config.generatorsFor(scenario)) {
                            workers = generators.get(generator);
                            String name = measured(scenario, generator);
                            try {
                                Map<String, Double> row = scenario(scenario, block.mode());
                                row.put("load1", loadAverage1()); // the machine is shared: how busy it was at the end
                                results.computeIfAbsent(name + "|" + key, k -> new ArrayList<>()).add(row);
                                say(name + " " + format(row));
                            } catch (RuntimeException e) {
                                // One scenario that cannot run (e.g. not all clients admitted) leaves the next ones be.
                                say("FAILED " + name + " on " + key + ": " + e);
                                for (Worker worker : workers) {
                                    worker.call("close");
                                }
                            }
                        }
                    }
                } finally {
                    server.close();
                    server = null;
                    for (List<Worker> each : generators.values()) {
                        for (Worker worker : each) {
                            worker.call("close");
                        }
                    }
                }
            }
        }
        say("\nfinished in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) + " s (load "
                + loadAverage() + ")");
        String tables = tables();
        say("\n" + tables);
        say(new Targets(medians(), blocks, config).report());
        Path file = config.out().resolve("results-" + System.currentTimeMillis() + ".md");
        Files.writeString(file, log);
        System.out.println("written to " + file);
    }

    private Map<String, Double> scenario(String name, String mode) {
        return switch (name) {
            case "conns" -> conns(mode);
            case "fanout" -> plainFanout(mode);
            case "fanoutmod" -> moderatedFanout(mode);
            case "saturate" -> saturate(mode);
            case "slow" -> slow(mode);
            case "storm" -> storm(mode);
            case "churn" -> churn(mode);
            case "joinstorm" -> joinStorm(mode, config.joinClients(), 0);
            case "rooms" -> rooms(mode);
            case "roomstorm" -> joinStorm(mode, config.roomStormClients(), config.roomStormRooms());
            case "twonode" -> twoNodes(mode);
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }

    /**
     * Two nodes, one room: this run's container and the other one, both through one redis-server (started here
     * on a loopback port, persistence off), the workers' clients split between them (worker 0 on this container,
     * worker 1 on the other), senders on both. The fanout measure and the saturation steps as in the single-node
     * scenarios, so the rows compare directly; every message crosses Redis (its id comes from there) and each
     * node delivers it to its half of the room.
     */
    private Map<String, Double> twoNodes(String mode) {
        String here = server instanceof StandaloneTomcat ? "tomcat" : "jetty";
        String other = here.equals("tomcat") ? "jetty" : "tomcat";
        Map<String, Double> row = new LinkedHashMap<>();
        try (RedisServer redis = RedisServer.start()) {
            server.close();
            List<String> backplane = List.of("-Dchat.redis.url=" + redis.url());
            server = startNode(here, backplane);
            second = startNode(other, backplane);
            try {
                Map<String, Double> fanout = fanout(mode);
                row.put("fanoutDelivered%", fanout.get("delivered%"));
                row.put("fanoutP50ms", fanout.get("p50ms"));
                row.put("fanoutP99ms", fanout.get("p99ms"));
                row.putAll(saturate(mode));
            } finally {
                server.close();
                second.close();
                second = null;
            }
        }
        server = startNode(here, List.of()); // the scenarios after this one measure a single node again
        return row;
    }

    /**
     * One fresh server for each (container, flag set, mode), the reference server first (plain only: it has no
     * chat.v1), so every figure of the WAR has the reference's from the same run and machine load beside it.
     */
    private List<Block> blocks(boolean withReference) {
        List<Block> list = new ArrayList<>();
        if (withReference) {
            Block.REFERENCES.stream().filter(b -> config.references().contains(b.container())).forEach(list::add);
        }
        // -Dbench.blocks=tomcat-readme-v1,jetty-default-plain: only these of the WAR's blocks (e.g. to repeat the ones
        // a
        // busy machine spoiled).
        List<String> only = Config.list("bench.blocks", "");
        for (String container : config.containers()) {
            for (String flags : config.flags()) {
                for (String mode : config.modes()) {
                    for (String store : Config.stores()) {
                        // The block without the store right after the one with it: the two compared run under
                        // nearly the same load of the shared machine.
                        Block block = new Block(container, flags, mode, !store.equals("off"));
                        boolean wanted = block.store() ? store.equals("on") : flags.equals(config.flags().get(0));
                        if (wanted && (only.isEmpty() || only.contains(block.key().replace(' ', '-')))) {
                            list.add(block);
                        }
                    }
                }
            }
        }
        return list;
    }

    private void startServer(Block block, int run) {
        plainFanout = null;
        sanctions = null;
        if (block.isReference()) {
            server = ReferenceServer.start(nodeDir(), ReferenceServer.Kind.of(block.container()));
            say("  reference: " + server.containerName() + " on port " + server.port());
            return;
        }
        flagJvm = config.flagJvm().get(block.flags());
        // The README's Tomcat-only JVM option goes with its flags; "default" leaves Tomcat's 8 KiB buffers.
        tomcatJvm = new ArrayList<>(block.flags().equals("readme") ? StandaloneTomcat.README_JVM : List.of());
        tomcatJvm.addAll(config.tomcatJvm());
        List<String> extra = new ArrayList<>();
        if (Boolean.getBoolean("bench.jfr")) {
            // A CPU profile of the whole server run, written when the container stops (SIGTERM).
            extra.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + config.out().toAbsolutePath().resolve(block.key().replace(' ', '-') + "-" + run + ".jfr"));
        }
        if (!block.store()) {
            extra.add("-Dchat.store.enabled=false");
        }
        server = startNode(block.container(), extra);
        say("  JVM flags (" + block.flags() + "): " + (flagJvm.isEmpty() ? "none" : String.join(" ", flagJvm))
                + (block.container().equals("tomcat") && !tomcatJvm.isEmpty() ? "; Tomcat: "
                + String.join(" ", tomcatJvm) : ""));
    }

    private StandaloneServer startNode(String container, List<String> extraJvm) {
        List<String> jvm = new ArrayList<>(flagJvm);
        jvm.addAll(CHAT_SETTINGS);
        jvm.addAll(extraJvm);
        return switch (container) {
            case "tomcat" -> {
                jvm.addAll(tomcatJvm);
                Map<String, String> connector = new LinkedHashMap<>();
                config.tomcatConnector()
                        .forEach(kv -> connector.put(kv.substring(0, kv.indexOf('=')),
                        kv.substring(kv.indexOf('=') + 1)));
                // The realm's accounts as docs/MODERATION.md sets them up (Jetty's base always gets its realm): the
                // moderator that fanoutmod signs in as.
                yield StandaloneTomcat.start(jvm, connector, base -> Files.writeString(
                        base.resolve("conf/tomcat-users.xml"), SignInSetups.snippet("tomcat-users")));
            }
            case "jetty" -> StandaloneJetty.start(jvm, config.jettyProperties());
            default -> throw new IllegalArgumentException("unknown container " + container);
        };
    }

    // ---------------------------------------------------------------- scenarios

    /** N idle connections, each receives one broadcast; server memory per connection. */
    private Map<String, Double> conns(String mode) {
        Map<String, Double> row = new LinkedHashMap<>();
        warmUp(mode, Math.min(1000, config.conns()));
        Footprint before = footprint();
        Snapshot start = snapshot();
        int total = mode.equals("v1") ? config.connsV1() : config.conns();
        int per = total / workers.size();
        List<String> answers = all(i -> "connect n=" + (i == workers.size() - 1 ? total - per * i : per)
                + " proto=" + mode + " port=" + server.port() + " parallel=200 ms=" + config.connsMillis() + reader());
        long opened = answers.stream().mapToLong(a -> field(a, "opened")).sum();
        row.put("opened", (double) opened);
        row.put("connectS", answers.stream().mapToLong(a -> field(a, "ms")).max().orElse(0) / 1000.0);
        awaitConnections(opened, 30);
        sleep(2000); // let the server settle: handshake garbage collected, buffers allocated
        row.put("held", (double) connections());
        perConnection(row, before, opened);
        if (Boolean.getBoolean("bench.histogram") && !(server instanceof ReferenceServer)) {
            // What the connections cost on the heap, by class (a full GC first: live objects only).
            say(jcmd("GC.class_histogram").lines().limit(28).collect(Collectors.joining("\n")));
        }
        Map<String, Long> closedWhileConnecting = totals().closes;
        if (!closedWhileConnecting.isEmpty()) {
            say("  conns: closed while connecting (code: count, as the clients saw it) " + closedWhileConnecting);
        }
        all(i -> "reset");
        workers.get(0).call("senders n=1 base=0 total=1");
        workers.get(0).call("run rate=1 ms=500 max=1 size=64");
        Totals totals = drain(opened, 30_000);
        row.put("received", (double) totals.received);
        row.put("delivered%", 100.0 * totals.received / Math.max(1, opened));
        latency(row, totals);
        usage(row, start, snapshot());
        closeAll();
        return row;
    }

    /**
     * A first round of connections (in the default room) opened and closed: it touches the young generation and
     * compiles the handshake path, so the memory read afterwards is the cost of holding connections, not of a JVM's
     * first minute.
     */
    private void warmUp(String mode, int connections) {
        all(i -> "connect n=" + connections / workers.size() + " proto=" + mode + " port=" + server.port()
                + " parallel=200 ms=60000");
        closeAll();
        sleep(1000);
    }

    /** What the server holds, seen from outside: live heap (a JVM; a full GC first), RSS and descriptors. */
    private record Footprint(long heapKiB, long rssKiB, int fds) {
    }

    private Footprint footprint() {
        long heap = liveHeapKiB();
        return new Footprint(heap, rssKiB(), fdCount());
    }

    /**
     * What the {@code opened} connections made since {@code before} cost: RSS growth, descriptors and (a JVM) live
     * heap, per connection; the RSS read first, before the histogram's full GC moves it.
     */
    private void perConnection(Map<String, Double> row, Footprint before, long opened) {
        long rssWith = rssKiB();
        row.put("rssMiB", rssWith / 1024.0);
        row.put("kibPerConn", opened == 0 ? 0 : (rssWith - before.rssKiB()) / (double) opened);
        row.put("fdPerConn", opened == 0 ? 0 : (fdCount() - before.fds()) / (double) opened);
        if (!(server instanceof ReferenceServer)) {
            row.put("heapKiBPerConn", opened == 0 ? 0 : (liveHeapKiB() - before.heapKiB()) / (double) opened);
        }
    }

    /**
     * N connections dealt into R rooms (19,000 into 1,000 rooms of 19) in the block's protocol, one sender per room,
     * every room 1 msg/s, measured for a bounded period after a warm-up: the server's CPU per delivery (the targets
     * hold it to the one-room fanout's of the same block, where a message reaches 1,000, and to the reference's),
     * latency, every message to every member of its room and to no one else (the receivers count a message from
     * another room as {@code foreign}), and what a connection with its room costs in memory,
     * read as conns reads it. N is rounded down to a multiple of R: every message has the same number of receivers.
     */
    private Map<String, Double> rooms(String mode) {
        int count = config.roomsCount();
        int size = config.roomsConnections() / count;
        if (size < 1) {
            throw new IllegalArgumentException("bench.rooms.connections must be at least bench.rooms.count");
        }
        int total = size * count;
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("rooms", (double) count);
        row.put("perRoom", (double) size);
        warmUp(mode, Math.min(1000, total));
        Footprint before = footprint();
        List<String> answers = connectDealt(total, count, mode, 200, config.connsMillis());
        long opened = answers.stream().mapToLong(a -> field(a, "opened")).sum();
        if (opened != total) {
            throw new IllegalStateException("only " + opened + " of " + total + " connected: " + answers);
        }
        row.put("connectS", answers.stream().mapToLong(a -> field(a, "ms")).max().orElse(0) / 1000.0);
        awaitConnections(total, 30);
        sleep(2000); // let the server settle, as in conns
        row.put("held", (double) connections());
        perConnection(row, before, total);
        roomSenders(total, count);
        // Warm-up of the send path at the same rate (JIT, each room's first message); not measured.
        measure(count, 64, 3000, 0, size);
        row.putAll(measure(count, 64, config.roomsMillis(), 0, size));
        row.putIfAbsent("foreign", 0.0);
        closeAll();
        return row;
    }

    /**
     * C clients, S of them sending at a fixed total rate (1,000 x 100 msg/s): delivery, latency and the server's CPU
     * time per delivery at a load every server holds, the figure that compares servers' cost.
     */
    private Map<String, Double> fanout(String mode) {
        connectClients(config.clients(), config.senders(), mode);
        // Warm-up (JIT, buffers) at the same rate; not measured.
        measure(config.fanoutRate(), 64, 2000, 0, config.clients());
        Map<String, Double> row = measure(config.fanoutRate(), 64, config.fanoutMillis(), 0, config.clients());
        closeAll();
        return row;
    }

    /** fanout, kept (LoadWorker's clients only) for the moderated fanout of the same block and run. */
    private Map<String, Double> plainFanout(String mode) {
        Map<String, Double> row = fanout(mode);
        if (workers == generators.get("nio")) {
            plainFanout = row;
        }
        return row;
    }

    /**
     * fanout on a server that holds {@code bench.moderation.bans} bans and {@code .mutes} mutes (imposed through
     * the moderation API before the block's first moderated fanout; they stay for the rest of the block), with the
     * server's CPU per delivery divided by the block's plain fanout of the same run ({@code cpu/plain}): what the
     * ban and mute checks on every post cost.
     */
    private Map<String, Double> moderatedFanout(String mode) {
        if (sanctions == null) {
            sanctions = HeldSanctions.impose(server, config.moderationBans(), config.moderationMutes());
            say("  fanoutmod: the server holds " + format(sanctions));
        }
        Map<String, Double> row = fanout(mode);
        row.putAll(sanctions);
        Double ratio = perPlain(row, plainFanout);
        if (ratio != null) {
            row.put("cpu/plain", ratio);
        }
        return row;
    }

    /** The moderated row's CPU per delivery / the plain one's, where both delivered something; else null. */
    static Double perPlain(Map<String, Double> moderated, Map<String, Double> plain) {
        if (plain == null) {
            return null;
        }
        double cost = moderated.getOrDefault("srvUsPerDelivery", 0.0);
        double plainCost = plain.getOrDefault("srvUsPerDelivery", 0.0);
        return cost > 0 && plainCost > 0 ? cost / plainCost : null;
    }

    /** The rate stepped up until one step misses 99.9 % delivered or p99 200 ms: the highest rate that held. */
    private Map<String, Double> saturate(String mode) {
        connectClients(config.clients(), config.senders(), mode);
        measure(100, 64, 1000, 0, config.clients());
        Map<String, Double> held = null;
        Map<String, Double> failed = null;
        for (int rate : config.steps()) {
            Map<String, Double> row = measure(rate, 64, config.stepMillis(), 0, config.clients());
            say("  step " + rate + " msg/s: " + format(row));
            if (row.get("delivered%") >= 99.9 && row.get("p99ms") <= 200 && connections() == config.clients()) {
                held = row;
                held.put("heldRate", (double) rate);
            } else {
                failed = row;
                failed.put("rate", (double) rate);
                break;
            }
        }
        closeAll();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("heldRate", held == null ? 0 : held.get("heldRate"));
        out.put("deliveriesPerS", held == null ? 0 : held.get("heldRate") * config.clients());
        if (held != null) {
            out.put("p50ms", held.get("p50ms"));
            out.put("p99ms", held.get("p99ms"));
            out.put("genCpu%", held.get("genCpu%"));
            out.put("srvCpu%", held.get("srvCpu%"));
        }
        if (failed != null) {
            out.put("nextRate", failed.get("rate"));
            out.put("nextDelivered%", failed.get("delivered%"));
            out.put("nextP99ms", failed.get("p99ms"));
            // Whether the generator itself kept up with the step that failed: what it sent, how late its worst
            // send was, and the CPU its processes used (each is one selector thread: 100 % is its ceiling).
            out.put("nextSentPerS", failed.get("sentPerS"));
            out.put("nextGenLagMs", failed.get("genLagMs"));
            out.put("nextGenCpu%", failed.get("genCpu%"));
        }
        // 1 when the step that failed is the generator's doing (it sent under 95 % of the rate, or its selector
        // threads were 90 % busy), or when every step held: then the figure is the generator's ceiling, not the
        // server's. A late generator that was not busy (genLagMs high, genCpu% low) was starved by a busy machine:
        // that is not its ceiling, and load1 says so.
        out.put("genLimited", failed == null || failed.get("sentPerS") < 0.95 * failed.get("rate")
                || failed.get("genCpu%") >= 90.0 * workers.size() ? 1.0 : 0.0);
        return out;
    }

    /** Healthy clients while a few stop reading; the same run without them is the control. */
    private Map<String, Double> slow(String mode) {
        int senders = 2;
        int healthy = config.slowHealthy();
        connectClients(healthy, senders, mode);
        Map<String, Double> control = measure(config.slowRate(), config.slowSize(), config.slowMillis(), 0, healthy);
        closeAll();

        connectClients(healthy, senders, mode);
        Worker last = workers.get(workers.size() - 1);
        last.call("connect n=" + config.slowCount() + " proto=" + mode + " port=" + server.port()
                + " parallel=50 ms=30000 rcvbuf=65536");
        awaitConnections(healthy + config.slowCount(), 30);
        last.call("pause n=" + config.slowCount());
        double slowConsumersBefore = metric("chat_closes_total{reason=\"slow_consumer\"}");
        double sendTimeoutsBefore = metric("chat_closes_total{reason=\"send_timeout\"}");
        long rssBefore = rssKiB();
        long[] rssMax = {rssBefore};
        Thread sampler = new Thread(() -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.slowMillis() + 20_000L);
            while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                rssMax[0] = Math.max(rssMax[0], rssKiB());
                if (!sleep(250)) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Map<String, Double> row = measure(config.slowRate(), config.slowSize(), config.slowMillis(), 0, healthy);
        // Now let the slow ones read again: what they find at the end of their backlog is how they were closed.
        last.call("resume");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (connections() > healthy && System.nanoTime() < deadline) {
            sleep(200);
        }
        sleep(1000);
        sampler.interrupt();
        Totals after = totals();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("controlDelivered%", control.get("delivered%"));
        out.put("controlP99ms", control.get("p99ms"));
        out.put("p50ms", row.get("p50ms"));
        out.put("p99ms", row.get("p99ms"));
        out.put("p99/control", row.get("p99ms") / Math.max(0.001, control.get("p99ms")));
        out.put("healthyDelivered%", row.get("delivered%"));
        out.put("rssGrowthMiB", (rssMax[0] - rssBefore) / 1024.0);
        // The stalled clients' closes are counted apart ("s" before the code): a 1013 to a healthy reader is a cut.
        long stalledCloses = after.closes.entrySet().stream().filter(e -> e.getKey().startsWith("s"))
                .mapToLong(Map.Entry::getValue).sum();
        out.put("slowClosed1013", (double) after.closes.getOrDefault("s1013", 0L));
        out.put("slowOtherCloses", (double) (stalledCloses - after.closes.getOrDefault("s1013", 0L)));
        out.put("healthyCut",
                (double) (after.closes.values().stream().mapToLong(Long::longValue).sum() - stalledCloses));
        say("  slow: closes seen by clients (s: the stalled ones) " + after.closes);
        out.put("srvSlowConsumerCloses", metric("chat_closes_total{reason=\"slow_consumer\"}") - slowConsumersBefore);
        out.put("srvSendTimeoutCloses", metric("chat_closes_total{reason=\"send_timeout\"}") - sendTimeoutsBefore);
        out.put("srvCpu%", row.get("srvCpu%"));
        out.put("genCpu%", row.get("genCpu%"));
        closeAll();
        return out;
    }

    /** Every client sends flat out, each with a bounded number of its own messages not yet echoed back. */
    private Map<String, Double> storm(String mode) {
        int clients = config.stormClients();
        connectClients(clients, clients, mode);
        Map<String, Double> row = measure(0, 64, config.stormMillis(), config.stormWindow(), clients);
        closeAll();
        return row;
    }

    /**
     * N clients (2,000) arriving at once (every connection attempt in flight together), in the block's protocol,
     * into the default room ({@code rooms} 0) or dealt into that many rooms: in chat.v1 every arrival is presence
     * news for every member of its room. How long until all are admitted, how many were cut meanwhile, how many
     * presence/welcome lines each member got, then one message in every room that every member must receive.
     */
    private Map<String, Double> joinStorm(String mode, int total, int rooms) {
        awaitConnections(0, 20);
        all(i -> "reset");
        Snapshot start = snapshot();
        List<String> answers = connectDealt(total, rooms, mode, total, 60000);
        long opened = answers.stream().mapToLong(a -> field(a, "opened")).sum();
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("opened", (double) opened);
        row.put("admitS", answers.stream().mapToLong(a -> field(a, "ms")).max().orElse(0) / 1000.0);
        awaitConnections(opened, 30);
        // The presence traffic the storm caused: wait (bounded) until no more of it arrives.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        for (Totals t = totals(); t.other != last && System.nanoTime() < deadline; t = totals()) {
            last = t.other;
            sleep(500);
        }
        Totals joined = totals();
        row.put("held", (double) connections());
        row.put("otherPerMember", opened == 0 ? 0 : joined.other / (double) opened);
        roomSenders(total, rooms);
        // One message per sender; the senders' phases are spread over the second of a 1 msg/s rate.
        all(i -> "run rate=1 ms=1000 max=1 size=64");
        long open = opened - joined.closes.values().stream().mapToLong(Long::longValue).sum();
        Totals totals = drain(open, 30_000);
        row.put("received", (double) totals.received);
        row.put("delivered%", 100.0 * totals.received / Math.max(1, opened));
        row.put("cut", (double) totals.closes.values().stream().mapToLong(Long::longValue).sum());
        if (rooms > 0) {
            row.put("foreign", (double) totals.foreign);
        }
        latency(row, totals);
        usage(row, start, snapshot());
        if (!totals.closes.isEmpty()) {
            say("  joinstorm: closes seen by clients " + totals.closes);
        }
        closeAll();
        return row;
    }

    /** Connections opening and closing (close frame, bare FIN, reset) while a broadcast runs to steady clients. */
    private Map<String, Double> churn(String mode) {
        if (workers.size() < 2) {
            throw new IllegalStateException("churn needs two workers: one for the steady clients, one churning");
        }
        awaitConnections(0, 20);
        sleep(2000); // as before the reading at the end: closed sockets of earlier scenarios are gone by then
        int fdBefore = fdCount();
        int clients = config.churnClients();
        Worker steady = workers.get(0);
        Worker churner = workers.get(1);
        steady.call("connect n=" + clients + " proto=" + mode + " port=" + server.port()
                + " parallel=200 ms=30000" + reader());
        awaitConnections(clients, 30);
        steady.call("senders n=1 base=0 total=1");
        all(i -> "reset");
        Snapshot start = snapshot();
        steady.send("run rate=50 ms=" + config.churnMillis());
        String churned = churner.call("churn proto=" + mode + " port=" + server.port() + " parallel=50 rate="
                + config.churnRate() + " ms=" + config.churnMillis());
        steady.receive();
        Totals totals = drain(-1, 5000);
        Snapshot end = snapshot();
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("cycles", (double) field(churned, "cycles"));
        row.put("cyclesPerS", field(churned, "cycles") * 1000.0 / config.churnMillis());
        row.put("failed", (double) field(churned, "failed"));
        row.put("steadyDelivered%", 100.0 * totals.received / Math.max(1, totals.sent * clients));
        latency(row, totals);
        row.put("unexpectedCloses", (double) totals.closes.values().stream().mapToLong(Long::longValue).sum());
        usage(row, start, end);
        closeAll();
        awaitConnections(0, 20);
        sleep(2000);
        row.put("sessionsLeft", (double) connections());
        row.put("fdLeaked", (double) (fdCount() - fdBefore));
        row.put("queuedBytesLeft", metric("chat_outbox_bytes"));
        return row;
    }

    // ---------------------------------------------------------------- building blocks

    /** Connects {@code clients} spread over the workers, and makes the first {@code senders} of them senders. */
    private void connectClients(int clients, int senders, String mode) {
        int n = workers.size();
        List<String> answers = all(i -> "connect n=" + share(clients, n, i) + " proto=" + mode + " port=" + portFor(i)
                + " parallel=200 ms=60000" + reader());
        long opened = answers.stream().mapToLong(a -> field(a, "opened")).sum();
        if (opened != clients) {
            throw new IllegalStateException("only " + opened + " of " + clients + " connected: " + answers);
        }
        awaitConnections(clients, 30);
        int base = 0;
        for (int i = 0; i < n; i++) {
            int s = share(senders, n, i);
            workers.get(i).call("senders n=" + s + " base=" + base + " total=" + senders);
            base += s;
        }
    }

    /**
     * Starts {@code clients} connections spread over the workers, in the default room ({@code rooms} 0) or dealt
     * into {@code rooms} rooms (LoadWorker: the run's connection g joins room g mod rooms); returns the workers'
     * answers.
     */
    private List<String> connectDealt(int clients, int rooms, String mode, int parallel, int millis) {
        int n = workers.size();
        return all(i -> "connect n=" + share(clients, n, i) + " proto=" + mode + " port=" + portFor(i) + " parallel="
                + parallel + " ms=" + millis + (rooms > 0 ? " rooms=" + rooms + " first=" + first(clients, i) : "")
                + reader());
    }

    /**
     * One sender in each room of {@code clients} connections dealt by {@link #connectDealt} into {@code rooms} rooms,
     * whose id is its room's number: room r's at the worker that holds the run's connection r, its first member (for
     * the default room, {@code rooms} 0: the first connection).
     */
    private void roomSenders(int clients, int rooms) {
        int n = workers.size();
        int wanted = Math.max(1, rooms);
        for (int i = 0; i < n; i++) {
            int first = first(clients, i);
            int senders = Math.max(0, Math.min(first + share(clients, n, i), wanted) - first);
            workers.get(i).call("senders n=" + senders + " base=" + first + " total=" + wanted
                    + (rooms > 0 ? " byRoom=true" : ""));
        }
    }

    /** Where worker {@code index}'s share of {@code clients} begins in the run. */
    private int first(int clients, int index) {
        int first = 0;
        for (int i = 0; i < index; i++) {
            first += share(clients, workers.size(), i);
        }
        return first;
    }

    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    /**
     * One measured period: every worker's senders send ({@code totalRate} msg/s over all senders; 0 with a window
     * for flat out) for {@code millis}, then the deliveries drain (bounded). Delivery is counted against
     * {@code receivers} members receiving every message sent.
     */
    private Map<String, Double> measure(int totalRate, int size, int millis, int window, int receivers) {
        all(i -> "reset");
        Snapshot start = snapshot();
        int senders = workers.stream().mapToInt(w -> w.senders).sum();
        double perSender = totalRate == 0 ? 0 : totalRate / (double) senders;
        all(i -> "run rate=" + perSender + " size=" + size + " ms=" + millis + " window=" + window + " max=10000000");
        Totals totals = drain(-1, 5000);
        Snapshot end = snapshot();
        Map<String, Double> row = new LinkedHashMap<>();
        double seconds = millis / 1000.0;
        row.put("sentPerS", totals.sent / seconds);
        row.put("deliveredPerS", totals.received / seconds);
        long expected = totals.sent * receivers;
        row.put("delivered%", expected == 0 ? 0 : 100.0 * totals.received / expected);
        row.put("stale", (double) totals.stale);
        if (totals.foreign > 0) {
            row.put("foreign", (double) totals.foreign); // from another room: only where connections were in rooms
        }
        row.put("gaps", (double) totals.gaps);
        row.put("dups", (double) totals.dups);
        row.put("errors", (double) totals.errors);
        row.put("unexpectedCloses", (double) totals.closes.values().stream().mapToLong(Long::longValue).sum());
        latency(row, totals);
        row.put("genLagMs", totals.lagUs / 1000.0);
        usage(row, start, end);
        // CPU time of the server process over the period (sending and draining) per delivery the clients counted in
        // it, a previous period's late ones included: the server spent this period's CPU on those too.
        long deliveries = totals.received + totals.stale;
        row.put("srvUsPerDelivery", deliveries == 0 ? 0 : (end.serverCpu - start.serverCpu) / 1000.0 / deliveries);
        row.put("genUsPerDelivery", deliveries == 0 ? 0 : (end.workerCpu - start.workerCpu) / 1000.0 / deliveries);
        return row;
    }

    private static void latency(Map<String, Double> row, Totals totals) {
        row.put("p50ms", totals.latency.percentile(0.50) / 1000.0);
        row.put("p99ms", totals.latency.percentile(0.99) / 1000.0);
        row.put("maxMs", totals.latency.max() / 1000.0);
    }

    /** CPU of the server and of all generator processes over the period, in % of one core. */
    private void usage(Map<String, Double> row, Snapshot start, Snapshot end) {
        double wall = Math.max(1, end.nanos - start.nanos);
        row.put("srvCpu%", 100.0 * (end.serverCpu - start.serverCpu) / wall);
        row.put("genCpu%", 100.0 * (end.workerCpu - start.workerCpu) / wall);
        // What everything else on the shared machine used meanwhile: the noise in this row's figures.
        row.put("otherCpu%", 100.0 * ((end.machineBusy - start.machineBusy) - (end.serverCpu - start.serverCpu)
                - (end.workerCpu - start.workerCpu)) / wall);
    }

    /**
     * Polls the workers until everything sent has arrived {@code expected} times (or, with -1, until the count stops
     * moving for half a second), at most {@code maxMillis}.
     */
    private Totals drain(long expected, long maxMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long last = -1;
        long stableSince = System.nanoTime();
        while (true) {
            Totals t = totals();
            long now = System.nanoTime();
            if (expected >= 0 ? t.received >= expected : t.received == last && now - stableSince > 500_000_000L) {
                return t;
            }
            if (t.received != last) {
                last = t.received;
                stableSince = now;
            }
            if (now > deadline) {
                return t;
            }
            sleep(100);
        }
    }

    private Totals totals() {
        Totals t = new Totals();
        for (Worker worker : workers) {
            String s = worker.call("stats");
            if (Boolean.getBoolean("bench.debug")) {
                System.out.println("    DEBUG " + s.replaceAll(" hist=.*", ""));
            }
            t.received += field(s, "received");
            t.sent += field(s, "sent");
            t.gaps += field(s, "gaps");
            t.dups += field(s, "dups");
            t.errors += field(s, "errors");
            t.other += field(s, "other");
            t.stale += field(s, "stale");
            t.foreign += s.contains(" foreign=") ? field(s, "foreign") : 0; // the Node generator deals no rooms
            t.lagUs = Math.max(t.lagUs, field(s, "lagUs"));
            String closes = text(s, "closes");
            if (!closes.equals("-")) {
                for (String pair : closes.split(",")) {
                    String[] kv = pair.split(":");
                    t.closes.merge(kv[0], Long.parseLong(kv[1]), Long::sum);
                }
            }
            t.latency.add(Histogram.decode(text(s, "hist")));
        }
        return t;
    }

    private static final class Totals {
        long received;
        long sent;
        long gaps;
        long dups;
        long errors;
        long other;
        long stale;
        long foreign;
        long lagUs;
        final Map<String, Long> closes = new TreeMap<>();
        final Histogram latency = new Histogram();
    }

    private record Snapshot(long nanos, long serverCpu, long workerCpu, long machineBusy) {
    }

    /** CPU time all processes of the machine spent busy (every core; /proc/stat's first line), in nanoseconds. */
    private static long machineBusyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle and iowait are not busy
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * CLOCK_TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Waits, up to {@link #QUIET_WAIT_MILLIS}, until the previous block's teardown is over: a block started while
     * 19,000 connections are still closing measures that too. The load average lags a minute behind (it still read
     * 100 at the start of the block after conns), so what the whole machine used in the last second decides.
     * Returns how busy it was and how long that took, for the block's heading.
     */
    private static String awaitQuietMachine() {
        // -Dbench.quiet.millis: a machine that others keep busy will not be quiet within any wait.
        int cores = Runtime.getRuntime().availableProcessors();
        long start = System.nanoTime();
        double busy;
        do {
            long before = machineBusyNanos();
            long from = System.nanoTime();
            sleep(1000);
            busy = (machineBusyNanos() - before) / (double) (System.nanoTime() - from) / cores;
        } while (busy > QUIET_BUSY && System.nanoTime() - start
                < TimeUnit.MILLISECONDS.toNanos(Long.getLong("bench.quiet.millis", QUIET_WAIT_MILLIS)));
        return String.format(Locale.ROOT, "machine %.0f %% busy after %d s", 100 * busy,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }

    private Snapshot snapshot() {
        long workerCpu = 0;
        for (Worker worker : workers) {
            workerCpu += field(worker.call("stats"), "cpuNs");
        }
        return new Snapshot(System.nanoTime(), serverCpuNanos(), workerCpu, machineBusyNanos());
    }

    private void closeAll() {
        all(i -> "close");
        awaitConnections(0, 20);
    }

    private void awaitConnections(long expected, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (connections() != expected && System.nanoTime() < deadline) {
            sleep(100);
        }
    }

    // ---------------------------------------------------------------- the server process, seen from outside

    /** Worker i's node: with two nodes, odd workers connect to the second. */
    private int portFor(int worker) {
        return second != null && worker % 2 == 1 ? second.port() : server.port();
    }

    /** Sessions the room holds on every node, from /health; -1 while a node is too busy to answer within 10 s. */
    private int connections() {
        int total = 0;
        for (ChatServer node : nodes()) {
            try {
                Matcher m = Pattern.compile("\"connections\":(\\d+)").matcher(get(node, "health"));
                if (!m.find()) {
                    return -1;
                }
                total += Integer.parseInt(m.group(1));
            } catch (UncheckedIOException e) {
                return -1;
            }
        }
        return total;
    }

    private double metric(String name) {
        for (String line : get("metrics").lines().toList()) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    private String get(String path) {
        return get(server, path);
    }

    private List<ChatServer> nodes() {
        return second == null ? List.of(server) : List.of(server, second);
    }

    private static long pid(ChatServer node) {
        return node instanceof ReferenceServer reference ? reference.pid() : ((StandaloneServer) node).pid();
    }

    private String get(ChatServer node, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(node.pageUri().resolve(path))
                    .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String jcmd(String command) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid(server)), command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** Live objects on the server's heap (the histogram runs a full GC first). */
    private long liveHeapKiB() {
        if (server instanceof ReferenceServer) {
            return 0; // not a JVM
        }
        List<String> lines = jcmd("GC.class_histogram").lines().filter(l -> l.startsWith("Total")).toList();
        return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).trim().split("\\s+")[2]) / 1024;
    }

    private long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid(server) + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private int fdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid(server) + "/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** CPU time of the server process (both nodes' in the twonode scenario). */
    private long serverCpuNanos() {
        long total = 0;
        for (ChatServer node : nodes()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid(node) + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NANOS; // utime, stime
            } catch (IOException e) {
                // gone: counts nothing
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- worker processes

    private static final class Worker {
        final Process process;
        final PrintWriter in;
        final BufferedReader out;
        int senders;

        Worker(Process process) {
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String command) {
            in.println(command);
        }

        String receive() {
            try {
                String line = out.readLine();
                if (line == null) {
                    throw new IllegalStateException("load worker " + process.pid() + " exited");
                }
                if (line.startsWith("error")) {
                    throw new IllegalStateException("load worker: " + line);
                }
                if (line.startsWith("ok senders=")) {
                    senders = Integer.parseInt(line.substring("ok senders=".length()).trim());
                }
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String call(String command) {
            send(command);
            return receive();
        }
    }

    /** Where the Node programs' packages are installed (the references, the node generator). */
    private Path nodeDir() {
        return config.out().resolveSibling("bench-node");
    }

    /** {@code bench.workers} processes of every generator of {@code bench.generators}, for the whole run. */
    private void startWorkers() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String generator : config.generators()) {
            List<Worker> list = new ArrayList<>();
            for (int i = 0; i < config.workers(); i++) {
                ProcessBuilder builder = generator.equals("node")
                        ? NodeModules.node(NodeModules.install(nodeDir()), "ws-load.js")
                        : new ProcessBuilder(java, "-Xms256m", "-Xmx1g", "-XX:+UseParallelGC",
                                "-cp", System.getProperty("java.class.path"), LoadWorker.class.getName());
                list.add(new Worker(builder.redirectError(ProcessBuilder.Redirect.INHERIT).start()));
            }
            generators.put(generator, list);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopWorkers));
    }

    private void stopWorkers() {
        for (List<Worker> each : generators.values()) {
            for (Worker worker : each) {
                worker.process.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The clients' reading habit, when {@code -Dbench.reader=<bytes>/<ms>} asks for one (see LoadWorker). */
    private String reader() {
        if (config.reader().isEmpty()) {
            return "";
        }
        String[] parts = config.reader().split("/");
        return " chunk=" + Integer.parseInt(parts[0]) + " delayMs="
                + Integer.parseInt(parts.length > 1 ? parts[1] : "0");
    }

    /** Sends one command to every worker (as {@code command.apply(index)}), then collects every answer. */
    private List<String> all(java.util.function.IntFunction<String> command) {
        for (int i = 0; i < workers.size(); i++) {
            workers.get(i).send(command.apply(i));
        }
        List<String> answers = new ArrayList<>();
        for (Worker worker : workers) {
            answers.add(worker.receive());
        }
        return answers;
    }

    /** The number after {@code name=} in a worker's answer line. */
    static long field(String line, String name) {
        return (long) Double.parseDouble(text(line, name));
    }

    /** The word after {@code name=} in a worker's answer line. */
    static String text(String line, String name) {
        Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(name) + "=(\\S*)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in: " + line);
        }
        return m.group(1);
    }

    // ---------------------------------------------------------------- reporting

    /**
     * One table per scenario and generator, a row per block (the references first), each cell the median of the
     * runs; every figure of the WAR and of ws is followed by its ratio to uWS's same figure (to ws's where uWS has
     * none), e.g. {@code 15.2 (2.8x)}.
     */
    private String tables() {
        StringBuilder out = new StringBuilder("## Results (median of " + config.runs() + " run(s) per cell;"
                + " (Nx) = the figure / the yardstick's: uWS's, ws's where uWS did not run)\n");
        Map<String, Map<String, Double>> medians = medians();
        List<String> names = config.scenarios().stream()
                .flatMap(s -> config.generatorsFor(s).stream().map(g -> measured(s, g))).toList();
        for (String scenario : names) {
            List<String> columns = new ArrayList<>();
            for (Block block : blocks) {
                medians.getOrDefault(scenario + "|" + block.key(), Map.of()).keySet().stream()
                        .filter(k -> !columns.contains(k)).forEach(columns::add);
            }
            if (columns.isEmpty()) {
                continue;
            }
            Block yardstick = Block.yardstick(medians, scenario);
            Map<String, Double> reference = medians.getOrDefault(scenario + "|" + yardstick.key(), Map.of());
            out.append("\n### ").append(scenario).append(scenario.endsWith("@node") ? " (Node ws clients)" : "")
                    .append(reference.isEmpty() ? "" : "; ratios to " + yardstick.container())
                    .append("\n\n| container | flags | mode | store | ")
                    .append(String.join(" | ", columns)).append(" |\n|---|---|---|---|")
                    .append(columns.stream().map(c -> "---:").collect(Collectors.joining("|"))).append("|\n");
            for (Block block : blocks) {
                Map<String, Double> row = medians.get(scenario + "|" + block.key());
                if (row == null) {
                    continue;
                }
                out.append("| ").append(block.container()).append(" | ").append(block.flags()).append(" | ")
                        .append(block.mode()).append(" | ").append(block.storeLabel()).append(" |");
                for (String column : columns) {
                    Double value = row.get(column);
                    Double ref = reference.get(column);
                    out.append(' ').append(value == null ? "-" : number(value));
                    if (value != null && ref != null && ref > 0 && !block.equals(yardstick)
                            && !column.equals("load1")) {
                        out.append(" (").append(ratio(value / ref)).append(')');
                    }
                    out.append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The median of the runs for every scenario|block and column (each column's median on its own). */
    private Map<String, Map<String, Double>> medians() {
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        results.forEach((key, rows) -> {
            Map<String, Double> row = new LinkedHashMap<>();
            for (Map<String, Double> r : rows) {
                for (String column : r.keySet()) {
                    row.computeIfAbsent(column, c -> median(rows.stream().filter(x -> x.containsKey(c))
                            .mapToDouble(x -> x.get(c)).sorted().toArray()));
                }
            }
            medians.put(key, row);
        });
        return medians;
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : r >= 0.1 ? "%.2gx" : "%.1gx", r);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(Map<String, Double> row) {
        return row.entrySet().stream().map(e -> e.getKey() + "=" + number(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    private void say(String line) {
        System.out.println(line);
        System.out.flush();
        log.append(line).append('\n');
    }

    private static double loadAverage1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String machine() {
        StringBuilder out = new StringBuilder();
        out.append("cores: ").append(Runtime.getRuntime().availableProcessors());
        try {
            Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().ifPresent(l -> out.append(", ").append(l.replaceAll("\\s+", " ")));
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().ifPresent(l -> out.append(", cpu: ").append(l.substring(l.indexOf(':') + 2)));
        } catch (IOException e) {
            // not Linux
        }
        out.append(", java ").append(System.getProperty("java.vm.version"));
        return out.toString();
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
