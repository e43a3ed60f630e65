package chatroom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verdicts the benchmark prints: a target read off the medians as "met" or "missed by X", ratios to uWS (to ws
 * where uWS has no figure).
 */
class TargetsTest {
    private static final Block TOMCAT = new Block("tomcat", "readme", "plain");
    private static final Block JETTY = new Block("jetty", "readme", "plain");
    private static final Block TOMCAT_V1 = new Block("tomcat", "readme", "v1");
    private static final Block JETTY_V1 = new Block("jetty", "readme", "v1");

    private final Map<String, Map<String, Double>> medians = new LinkedHashMap<>();

    private String report() {
        return report(List.of(Block.UWS, Block.WS, TOMCAT, JETTY));
    }

    private String report(List<Block> blocks) {
        return new Targets(medians, blocks, Bench.Config.fromSystemProperties()).report();
    }

    private String line(String report, String target) {
        return report.lines().filter(l -> l.startsWith("| " + target)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + target + " in\n" + report));
    }

    private static Map<String, Double> fanout(double usPerDelivery, double p99, double delivered) {
        return Map.of("srvUsPerDelivery", usPerDelivery, "p99ms", p99, "delivered%", delivered,
                "deliveredPerS", 1000.0 * delivered);
    }

    @Test
    void cpuPerDeliveryIsJudgedAsARatioToUws() {
        medians.put("fanout|" + Block.UWS.key(), fanout(5.0, 10.0, 100.0));
        medians.put("fanout|" + Block.WS.key(), fanout(8.0, 30.0, 100.0));
        medians.put("fanout|" + TOMCAT.key(), fanout(15.0, 170.0, 99.5));
        medians.put("fanout|" + JETTY.key(), fanout(5.5, 20.0, 100.0));
        String report = report();
        String cpu = line(report, "plain: CPU per delivery");
        assertTrue(cpu.startsWith("| plain: CPU per delivery at 1,000 clients x 100 msg/s <= 1.2x uWS's (NIO clients)"
                + " | 5 | 8 |"), cpu);
        assertTrue(cpu.contains("**missed by 2.5x** (15 us, 3.0x uWS's)"), cpu);
        assertTrue(cpu.contains("met (5.50 us, 1.1x uWS's)"), cpu);
        String p99 = line(report, "p99 at 1,000 clients");
        assertTrue(p99.contains("**missed by 120 ms** (170 ms)") && p99.contains("met (20 ms)"), p99);
        String delivered = line(report, "100 % delivered at 1,000");
        assertTrue(delivered.contains("**missed by 0.500 points**"), delivered);
    }

    @Test
    void chatV1IsHeldToUwsPlainCostAndPlainBlocksAreNotJudgedByIt() {
        medians.put("fanout|" + Block.UWS.key(), fanout(5.0, 10.0, 100.0));
        medians.put("fanout|" + TOMCAT.key(), fanout(5.5, 20.0, 100.0));
        medians.put("fanout|" + TOMCAT_V1.key(), fanout(5.5, 20.0, 100.0));
        medians.put("fanout|" + JETTY_V1.key(), fanout(4.5, 20.0, 100.0));
        String report = report(List.of(Block.UWS, TOMCAT, TOMCAT_V1, JETTY_V1));
        // 5.5 us is within plain's 1.2x but not chat.v1's 1.0x.
        assertEquals("| chat.v1: CPU per delivery at 1,000 clients x 100 msg/s <= 1.0x uWS's (NIO clients) | 5 | - | "
        + "- |"
                + " **missed by 1.1x** (5.50 us, 1.1x uWS's) | met (4.50 us, 0.90x uWS's) |",
                line(report, "chat.v1: CPU per delivery"));
        assertEquals("| plain: CPU per delivery at 1,000 clients x 100 msg/s <= 1.2x uWS's (NIO clients) | 5 | - |"
                + " met (5.50 us, 1.1x uWS's) | - | - |", line(report, "plain: CPU per delivery"));
    }

    @Test
    void whereUwsHasNoFigureTheRatiosAreToWsAndSaySo() {
        medians.put("fanout|" + Block.WS.key(), fanout(5.0, 10.0, 100.0));
        medians.put("fanout|" + TOMCAT.key(), fanout(8.0, 20.0, 100.0));
        String cpu = line(report(), "plain: CPU per delivery");
        assertTrue(cpu.contains("| - | 5 |"), cpu);
        assertTrue(cpu.contains("**missed by 1.3x** (8 us, 1.6x ws's (no uWS figure))"), cpu);
    }

    @Test
    void theNodeGeneratorsFiguresAreJudgedInRowsOfTheirOwn() {
        medians.put("fanout|" + Block.UWS.key(), fanout(5.0, 10.0, 100.0));
        medians.put("fanout|" + TOMCAT.key(), fanout(5.5, 20.0, 100.0));
        medians.put("fanout@node|" + Block.UWS.key(), fanout(6.0, 12.0, 100.0));
        medians.put("fanout@node|" + TOMCAT.key(), fanout(9.0, 80.0, 100.0));
        String report = report(List.of(Block.UWS, TOMCAT));
        assertTrue(line(report, "plain: CPU per delivery at 1,000 clients x 100 msg/s <= 1.2x uWS's (NIO clients)")
                .contains("met (5.50 us, 1.1x uWS's)"), report);
        assertTrue(line(report, "plain: CPU per delivery at 1,000 clients x 100 msg/s <= 1.2x uWS's (Node ws clients)")
                .contains("**missed by 1.3x** (9 us, 1.5x uWS's)"), report);
        assertTrue(line(report, "p99 at 1,000 clients x 100 msg/s <= 50 ms (Node ws clients)")
                .contains("**missed by 30 ms** (80 ms)"), report);
    }

    @Test
    void chatV1MustHoldFourTimesUwsRatePlainAtLeastUwsRate() {
        medians.put("saturate|" + Block.UWS.key(), Map.of("heldRate", 400.0, "genLimited", 0.0));
        medians.put("saturate|" + TOMCAT.key(), Map.of("heldRate", 400.0, "genLimited", 0.0));
        medians.put("saturate|" + JETTY.key(), Map.of("heldRate", 300.0, "genLimited", 0.0));
        medians.put("saturate|" + TOMCAT_V1.key(), Map.of("heldRate", 1200.0, "genLimited", 0.0));
        medians.put("saturate|" + JETTY_V1.key(), Map.of("heldRate", 1600.0, "genLimited", 0.0));
        String report = report(List.of(Block.UWS, TOMCAT, JETTY, TOMCAT_V1, JETTY_V1));
        assertEquals("| plain: highest rate held at 1,000 clients >= uWS's (NIO clients) | 400 | - |"
                + " met (400 msg/s, 1.0x uWS's) | **missed by 100 msg/s** (300 msg/s, 0.75x uWS's) | - | - |",
                line(report, "plain: highest rate held"));
        assertEquals("| chat.v1: highest rate held at 1,000 clients >= 4x uWS's (NIO clients) | 400 | - | - | - |"
                + " **missed by 400 msg/s** (1,200 msg/s, 3.0x uWS's) | met (1,600 msg/s, 4.0x uWS's) |",
                line(report, "chat.v1: highest rate held"));
    }

    @Test
    void aHeldRateUnderTheTargetAtTheGeneratorsCeilingIsNotMeasurableRatherThanMissed() {
        medians.put("saturate|" + Block.UWS.key(), Map.of("heldRate", 800.0, "genLimited", 0.0));
        medians.put("saturate|" + TOMCAT_V1.key(), Map.of("heldRate", 2000.0, "genLimited", 1.0));
        medians.put("saturate|" + JETTY_V1.key(), Map.of("heldRate", 1000.0, "genLimited", 0.0));
        String held = line(report(List.of(Block.UWS, TOMCAT_V1, JETTY_V1)), "chat.v1: highest rate held");
        assertTrue(held.contains("not measurable here: 2,000 msg/s is the generator's ceiling, under the 3,200 msg/s"
                + " wanted (2,000 msg/s, 2.5x uWS's)"), held);
        assertTrue(held.contains("**missed by 2,200 msg/s** (1,000 msg/s, 1.3x uWS's)"), held);
    }

    @Test
    void memoryPerConnectionIsTheLiveHeapWhenTheRssGrowthReadsLower() {
        medians.put("conns|" + TOMCAT.key(), Map.of("kibPerConn", -5.3, "heapKiBPerConn", 23.2));
        medians.put("conns|" + JETTY.key(), Map.of("kibPerConn", 15.0, "heapKiBPerConn", 13.7));
        String memory = line(report(), "conns: <= 16 KiB");
        assertTrue(memory.contains("**missed by 7.20 KiB** (23.2 KiB live heap; RSS growth -5.30 KiB)"), memory);
        assertTrue(memory.contains("met (15 KiB RSS growth)"), memory);
    }

    @Test
    void withoutAnyReferenceARatioTargetSaysSoRatherThanMetOrMissed() {
        medians.put("fanout|" + TOMCAT.key(), Map.of("srvUsPerDelivery", 15.0));
        String cpu = line(report(List.of(TOMCAT)), "plain: CPU per delivery");
        assertTrue(cpu.contains("no reference (15 us)"), cpu);
    }

    @Test
    void aPeriodWithNothingDeliveredHasNoLatencyOrCostToJudge() {
        medians.put("fanout|" + Block.UWS.key(), Map.of("srvUsPerDelivery", 5.0, "deliveredPerS", 100_000.0));
        medians.put("fanout|" + TOMCAT.key(), Map.of("srvUsPerDelivery", 0.0, "p99ms", 0.0, "deliveredPerS", 0.0));
        String report = report();
        assertTrue(line(report, "plain: CPU per delivery").contains("not measured"), report);
        assertTrue(line(report, "p99 at 1,000 clients").contains("not measured"), report);
    }

    @Test
    void noTargetIsNamedAfterAnIssue() {
        medians.put("fanout|" + TOMCAT.key(), fanout(11.0, 30.0, 100.0));
        medians.put("fanout|" + TOMCAT.inMemory().key(), fanout(10.0, 20.0, 100.0));
        medians.put("saturate|" + TOMCAT.key(), Map.of("heldRate", 900.0));
        String report = report(List.of(Block.UWS, Block.WS, TOMCAT, TOMCAT.inMemory()));
        assertFalse(report.toLowerCase(java.util.Locale.ROOT).contains("issue"), report);
    }

    @Test
    void theStoreIsHeldToWithinFifteenPercentOfTheSameBlockInMemory() {
        Block tomcatMemory = TOMCAT.inMemory();
        Block jettyMemory = JETTY.inMemory();
        // Tomcat: CPU 1.1x (met), p99 1.5x (missed); held rate 0.9x (met). Jetty: CPU 1.2x (missed), p99 1.1x
        // (met); held rate 0.5x (missed).
        medians.put("fanout|" + TOMCAT.key(),
                Map.of("srvUsPerDelivery", 11.0, "p99ms", 30.0, "deliveredPerS", 100_000.0));
        medians.put("fanout|" + tomcatMemory.key(),
                Map.of("srvUsPerDelivery", 10.0, "p99ms", 20.0, "deliveredPerS", 100_000.0));
        medians.put("fanout|" + JETTY.key(),
                Map.of("srvUsPerDelivery", 12.0, "p99ms", 22.0, "deliveredPerS", 100_000.0));
        medians.put("fanout|" + jettyMemory.key(),
                Map.of("srvUsPerDelivery", 10.0, "p99ms", 20.0, "deliveredPerS", 100_000.0));
        medians.put("saturate|" + TOMCAT.key(), Map.of("heldRate", 900.0));
        medians.put("saturate|" + tomcatMemory.key(), Map.of("heldRate", 1000.0));
        medians.put("saturate|" + JETTY.key(), Map.of("heldRate", 400.0));
        medians.put("saturate|" + jettyMemory.key(), Map.of("heldRate", 800.0));
        String report = report(List.of(Block.UWS, Block.WS, TOMCAT, tomcatMemory, JETTY, jettyMemory));

        assertEquals("| store: fanout CPU per delivery <= 1.15x memory's | - | - | met (11 vs 10 us, 1.1x memory's)"
                + " | - | **missed by 0.50 us** (12 vs 10 us, 1.2x memory's) | - |",
                line(report, "store: fanout CPU"));
        assertEquals("| store: fanout p99 <= 1.15x memory's | - | - | **missed by 7 ms** (30 vs 20 ms, 1.5x"
                + " memory's) | - | met (22 vs 20 ms, 1.1x memory's) | - |", line(report, "store: fanout p99"));
        assertEquals("| store: highest rate held >= 0.85x memory's | - | - | met (900 vs 1,000 msg/s, 0.90x"
                + " memory's) | - | **missed by 280 msg/s** (400 vs 800 msg/s, 0.50x memory's) | - |",
                line(report, "store: highest"));
    }

    @Test
    void withoutTheMemoryBlockTheStoreTargetSaysHowToGetOne() {
        medians.put("saturate|" + TOMCAT.key(), Map.of("heldRate", 900.0));
        String held = line(report(), "store: highest");
        assertTrue(held.contains("no memory block (900 msg/s; -Dbench.stores=on,off runs one for the first flag set)"),
                held);
    }

    /** How the rooms targets begin with the default knobs. */
    private static final String ROOMS = "rooms (19,000 in 1,000 rooms of 19, 1 msg/s each): ";

    private static Map<String, Double> rooms(double usPerDelivery, double delivered, double foreign) {
        return Map.of("srvUsPerDelivery", usPerDelivery, "delivered%", delivered, "foreign", foreign,
                "deliveredPerS", 190.0 * delivered, "kibPerConn", 9.0, "heapKiBPerConn", 12.5);
    }

    @Test
    void roomsCostIsHeldToTheSameServersOneRoomFanoutAndToUwsInRooms() {
        medians.put("fanout|" + Block.UWS.key(), fanout(4.0, 10.0, 100.0));
        medians.put("rooms|" + Block.UWS.key(), rooms(5.0, 100.0, 0));
        medians.put("fanout|" + TOMCAT.key(), fanout(5.0, 10.0, 100.0));
        medians.put("rooms|" + TOMCAT.key(), rooms(5.5, 100.0, 0));
        medians.put("fanout|" + JETTY.key(), fanout(4.0, 10.0, 100.0));
        medians.put("rooms|" + JETTY.key(), rooms(8.0, 100.0, 0));
        String report = report();
        // The reference's column: its own rooms-to-fanout ratio, what the shape of the load costs any server.
        assertEquals("| " + ROOMS + "CPU per delivery <= 1.2x the same server's"
                + " one-room fanout | 1.3x (5 vs 4 us) | - | met (5.50 vs 5 us, 1.1x fanout's) | **missed by 1.7x**"
                + " (8 vs 4 us, 2.0x fanout's) |", line(report, ROOMS + "CPU per delivery <= 1.2x the same"));
        String reference = line(report, ROOMS + "CPU per delivery <= 1.2x uWS's");
        assertTrue(reference.contains("| 5 | - | met (5.50 us, 1.1x uWS's) | **missed by 1.3x** (8 us, 1.6x uWS's) |"),
                reference);
    }

    @Test
    void withoutAFanoutFigureTheRoomsRatioSaysHowToGetOne() {
        medians.put("rooms|" + TOMCAT.key(), rooms(5.5, 100.0, 0));
        String cpu = line(report(), ROOMS + "CPU per delivery <= 1.2x the same");
        assertTrue(cpu.contains("no fanout figure (5.50 us; fanout in bench.scenarios gives one)"), cpu);
    }

    @Test
    void aMessageFromAnotherRoomMissesDeliveryEvenWithEveryMessageDelivered() {
        medians.put("rooms|" + TOMCAT.key(), rooms(5.0, 100.0, 3));
        medians.put("rooms|" + JETTY.key(), rooms(5.0, 99.0, 0));
        String delivered = line(report(), ROOMS + "every message");
        assertTrue(delivered.contains("**missed by 3 from another room** (100.000 %, 3 from another room)"), delivered);
        assertTrue(delivered.contains("**missed by 1.000 points** (99.000 %)"), delivered);
    }

    @Test
    void roomsMemoryPerConnectionIsReadAsConnsAndTheRoomStormMayCutNobody() {
        medians.put("rooms|" + TOMCAT.key(), rooms(5.0, 100.0, 0));
        medians.put("roomstorm|" + TOMCAT.key(), Map.of("delivered%", 100.0, "cut", 0.0));
        medians.put("roomstorm|" + JETTY.key(), Map.of("delivered%", 99.9, "cut", 2.0));
        String report = report();
        assertTrue(line(report, ROOMS + "<= 16 KiB per connection")
                .contains("met (12.5 KiB live heap; RSS growth 9 KiB)"), report);
        assertEquals("| join storm into rooms (2,000 at once into 1,000 rooms): 0 members cut | - | - | met (0) |"
                + " **missed by 2** (2) |", line(report, "join storm into rooms (2,000 at once into 1,000 rooms): 0"));
        assertTrue(line(report, "join storm into rooms (2,000 at once into 1,000 rooms): 100 %")
                .contains("**missed by 0.100 points**"), report);
    }
}
