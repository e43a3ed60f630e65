package chatroom.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Node generator (src/test/node/ws-load.js) against the uWS reference, on loopback: it speaks LoadWorker's
 * command protocol, every member gets every message once, and its latency histogram merges with the Java one.
 * Needs node and npm (the packages come from the benchmark's lock file); skipped where they are missing.
 */
class NodeGeneratorTest {
    private static final Path NODE_DIR = Path.of("target/bench-node");
    private static final long[] LATENCIES = {0, 1, 127, 128, 129, 255, 256, 1000, 12_345, 999_999, 2_147_483_647L,
            2_147_483_648L, 1L << 40};

    private Process worker;
    private ReferenceServer server;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theJavaScriptHistogramPutsEveryLatencyInTheJavaBucket() throws Exception {
        assumeTrue(NodeModules.unavailable().isEmpty(), () -> NodeModules.unavailable().orElseThrow());
        String values = Arrays.stream(LATENCIES).mapToObj(Long::toString).collect(Collectors.joining(","));
        Process node = new ProcessBuilder("node", "-e", "const {index} = require(process.argv[1]);"
                + " console.log([" + values + "].map(index).join(' '))",
                NodeModules.SOURCES.resolve("histogram.js").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String printed = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not exit");
        String expected = Arrays.stream(LATENCIES).mapToObj(v -> Integer.toString(Histogram.index(v)))
                .collect(Collectors.joining(" "));
        assertEquals(expected, printed);
    }

    @Test
    void everyMemberGetsEveryMessageOnceAndTheReportDecodes() throws Exception {
        assumeTrue(NodeModules.unavailable().isEmpty(), () -> NodeModules.unavailable().orElseThrow());
        server = ReferenceServer.start(NODE_DIR, ReferenceServer.Kind.UWS);
        worker = NodeModules.node(NodeModules.install(NODE_DIR), "ws-load.js")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PrintWriter in = new PrintWriter(worker.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        int clients = 20;

        assertTrue(call(in, out, "connect n=" + clients + " proto=plain port=" + server.port()
                + " parallel=10 ms=20000")
                .startsWith("ok opened=" + clients + " failed=0"));
        assertEquals("ok senders=2", call(in, out, "senders n=2 base=0 total=2"));
        assertEquals("ok", call(in, out, "reset"));
        String run = call(in, out, "run rate=50 size=64 ms=1000 window=0 max=10000000");
        long sent = Bench.field(run, "sent");
        assertTrue(sent >= 90 && sent <= 102, run); // 2 senders x 50 msg/s x 1 s, phases spread over one interval

        String[] stats = new String[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            stats[0] = call(in, out, "stats");
            return Bench.field(stats[0], "received") >= sent * clients;
        });
        assertEquals(sent * clients, Bench.field(stats[0], "received"), stats[0]);
        assertEquals(sent, Bench.field(stats[0], "sent"), stats[0]);
        assertEquals(0, Bench.field(stats[0], "gaps") + Bench.field(stats[0], "dups")
                + Bench.field(stats[0], "other"), stats[0]);
        Histogram latency = Histogram.decode(Bench.text(stats[0], "hist"));
        assertEquals(sent * clients, latency.count(), stats[0]);
        assertTrue(latency.percentile(0.5) > 0 && latency.max() < 10_000_000, stats[0]); // measured, under 10 s
        assertEquals("ok closed lingering=0", call(in, out, "close"));
        assertTrue(call(in, out, "churn proto=plain port=1").startsWith("error"), "churn is LoadWorker's alone");
    }

    /** One command, its one answer line (bounded). */
    private static String call(PrintWriter in, BufferedReader out, String command) throws Exception {
        in.println(command);
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "error " + e;
            }
        }).get(30, TimeUnit.SECONDS);
        assertTrue(line != null, "the worker exited after " + command);
        return line;
    }
}
