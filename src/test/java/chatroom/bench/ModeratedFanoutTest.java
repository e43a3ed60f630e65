package chatroom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.nickname.NicknameForm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The moderated fanout: held to the same block's plain fanout within 5 %, and only run after it. */
class ModeratedFanoutTest {
    private static final Block TOMCAT = new Block("tomcat", "readme", "plain");
    private static final Block JETTY_V1 = new Block("jetty", "readme", "v1");
    private static final String TARGET = "moderated fanout (1,000 bans, 1,000 mutes held): ";

    private final Map<String, Map<String, Double>> medians = new LinkedHashMap<>();

    private static Map<String, Double> fanout(double usPerDelivery, double delivered) {
        return Map.of("srvUsPerDelivery", usPerDelivery, "delivered%", delivered, "deliveredPerS", 1000.0 * delivered);
    }

    private static Map<String, Double> moderated(double usPerDelivery, double delivered, double paired) {
        Map<String, Double> row = new LinkedHashMap<>(fanout(usPerDelivery, delivered));
        row.put("cpu/plain", paired);
        return row;
    }

    private String line(String target) {
        String report = new Targets(medians, List.of(TOMCAT, JETTY_V1), Bench.Config.fromSystemProperties()).report();
        return report.lines().filter(l -> l.startsWith("| " + TARGET + target)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + target + " in\n" + report));
    }

    @Test
    void theModeratedCostIsHeldToFivePercentOverTheSameBlocksPlainFanout() {
        medians.put("fanout|" + TOMCAT.key(), fanout(6.0, 100.0));
        medians.put("fanoutmod|" + TOMCAT.key(), moderated(6.2, 100.0, 1.02)); // 1.033x: within
        medians.put("fanout|" + JETTY_V1.key(), fanout(4.0, 100.0));
        medians.put("fanoutmod|" + JETTY_V1.key(), moderated(4.4, 100.0, 1.09)); // 1.1x: over by 0.2 us
        assertEquals("| " + TARGET + "CPU per delivery <= 1.05x the same block's plain fanout | - | - |"
                + " met (6.20 vs 6 us, 1.033x plain's; runs' own ratios: median 1.020x) |"
                + " **missed by 0.200 us** (4.40 vs 4 us, 1.100x plain's; runs' own ratios: median 1.090x) |",
                line("CPU per delivery"));
    }

    @Test
    void everyMessageMustStillReachEveryone() {
        medians.put("fanout|" + TOMCAT.key(), fanout(6.0, 100.0));
        medians.put("fanoutmod|" + TOMCAT.key(), moderated(6.0, 99.0, 1.0));
        assertTrue(line("100 % delivered").contains("**missed by 1.000 points** (99.000 %)"));
    }

    @Test
    void withoutThePlainFanoutItSaysHowToGetOne() {
        medians.put("fanoutmod|" + TOMCAT.key(), fanout(6.0, 100.0));
        assertTrue(line("CPU per delivery")
                .contains("no plain fanout figure (6 us; fanout before fanoutmod gives one)"));
    }

    @Test
    void aModeratedPeriodWithNothingDeliveredHasNoCostToJudge() {
        medians.put("fanout|" + TOMCAT.key(), fanout(6.0, 100.0));
        medians.put("fanoutmod|" + TOMCAT.key(), fanout(0.0, 0.0));
        assertTrue(line("CPU per delivery").contains("not measured"));
    }

    @Test
    void eachRunsRatioNeedsBothPeriodsToHaveDelivered() {
        assertEquals(1.1, Bench.perPlain(Map.of("srvUsPerDelivery", 5.5), Map.of("srvUsPerDelivery", 5.0)), 1e-9);
        assertNull(Bench.perPlain(Map.of("srvUsPerDelivery", 5.5), null));
        assertNull(Bench.perPlain(Map.of("srvUsPerDelivery", 5.5), Map.of("srvUsPerDelivery", 0.0)));
        assertNull(Bench.perPlain(Map.of("srvUsPerDelivery", 0.0), Map.of("srvUsPerDelivery", 5.0)));
    }

    @Test
    void theModeratedFanoutRunsOnlyAfterThePlainOne() {
        Bench.Config.checkModerated(List.of("fanout", "saturate", "fanoutmod"));
        Bench.Config.checkModerated(List.of("fanout", "saturate"));
        assertThrows(IllegalArgumentException.class, () -> Bench.Config.checkModerated(List.of("fanoutmod")));
        assertThrows(IllegalArgumentException.class,
                () -> Bench.Config.checkModerated(List.of("fanoutmod", "fanout")));
    }

    @Test
    void theSanctionedNamesAreNoLoadClientsNames() {
        for (String kind : List.of("banned", "muted")) {
            String name = HeldSanctions.name(kind, 1000);
            assertFalse(name.startsWith(NicknameForm.GUEST_PREFIX), name);
            assertTrue(name.length() <= 32, name); // a nickname's limit
        }
        assertEquals("bench-banned-0007", HeldSanctions.name("banned", 7));
    }
}
