package chatroom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.Pace;
import chatroom.testing.RawWebSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The slow-consumer rule: a reader that keeps reading is never cut, however large the burst the room
 * produces faster than it reads; a reader that stops reading is cut with 1013 once its send has made no progress
 * for the send timeout (at the next housekeeping round), and finds that close frame behind its data when it reads
 * on. Behaviour, not speed: the rates here are whatever the machine gives.
 */
class SlowConsumerIT extends ServerSuite {
    /**
     * The send timeout of this suite's server: no send progress for this long and a member is cut. The default,
     * 10 s: at a load average of 100 on two cores, a JDK client (one selector thread for all of them) once went
     * 3 s without taking a frame.
     */
    static final long SEND_TIMEOUT_MILLIS = 10_000;
    /** Housekeeping checks the send timeout this often: the cut comes at most this long after the timeout. */
    static final long HOUSEKEEPING_MILLIS = 1000;
    /** Scheduling on two shared cores: how late past the bound the test still accepts the cut. */
    static final long SLACK_MILLIS = 5000;
    /**
     * The burst: 1,200 messages of 7,000 bytes (8.4 MB) sent as fast as one client writes. That is more than the
     * 1,000 frames and eight times the 1 MiB the outbox was once bounded by, and more than the kernel's loopback
     * buffers absorb for a reader that stops (about 3 MB were stuck in them in a run on Tomcat).
     */
    static final int BURST = 1200;
    static final int MESSAGE_BYTES = 7000;
    /** The paced reader's speed: the burst lasts it 16 s, longer than the send timeout. */
    static final long PACED_BYTES_PER_SECOND = 512L * 1024;
    static final String SLOW_CONSUMER = "chat_closes_total{reason=\"slow_consumer\"}";


    @Override
    Map<String, String> sharedServerParams() {
        // Default outbox bound; the rate limit is lifted so one sender makes the burst; no idle timeout (the raw
        // readers answer no ping, and on a busy machine a test may outlast a minute).
        return Map.of(
                "chat.send.timeoutMillis", String.valueOf(SEND_TIMEOUT_MILLIS),
                "chat.idle.timeoutMillis", "0",
                "chat.rate.perSecond", "100000",
                "chat.rate.burst", "100000",
                "chat.text.maxLength", String.valueOf(MESSAGE_BYTES));
    }

    /** Each test counts connections from an empty room, not while the previous test's are still closing. */
    @BeforeEach
    void awaitAnEmptyRoom() {
        probe.awaitMetric("chat_connections", open -> open == 0, Duration.ofSeconds(60));
    }

    /** Checks that one reader's messages come whole and in order; counts them. */
    static final class Sequence {
        private final String tag;
        private final CountDownLatch complete = new CountDownLatch(1);
        private final AtomicReference<String> error = new AtomicReference<>();
        private volatile long completedNanos;
        private int next;

        Sequence(String tag) {
            this.tag = tag;
        }

        /** One message's text; one reader thread at a time. Another test's (its tail, on a slow machine) is ignored. */
        void record(CharSequence text) {
            String head = text.subSequence(0, Math.min(text.length(), tag.length() + 8)).toString();
            if (!head.startsWith(tag)) {
                return;
            }
            String expected = tag + next + ":";
            if (!head.startsWith(expected) || text.length() != MESSAGE_BYTES) {
                error.compareAndSet(null, "expected " + expected + " of " + MESSAGE_BYTES + " bytes, got "
                        + head + " of " + text.length());
                return;
            }
            if (++next == BURST) {
                completedNanos = System.nanoTime();
                complete.countDown();
            }
        }

        /** Every chat.v1 message line of a (maybe coalesced) frame. */
        void recordLines(CharSequence frame) {
            for (String line : ChatClient.lines(frame.toString())) {
                JsonObject object = Json.createReader(new StringReader(line)).readObject();
                if ("message".equals(object.getString("type"))) {
                    record(object.getString("text"));
                }
            }
        }

        void awaitAll(Duration within) throws InterruptedException {
            boolean done = complete.await(within.toMillis(), TimeUnit.MILLISECONDS);
            assertNull(error.get(), tag + "reader");
            assertTrue(done, tag + "reader got " + next + " of " + BURST);
        }
    }

    /** Sends the burst as fast as the JDK client writes; returns when the last one is written. */
    static void burst(ChatClient sender, String tag) {
        String padding = "x".repeat(MESSAGE_BYTES);
        for (int i = 0; i < BURST; i++) {
            String head = tag + i + ":";
            sender.send(head + padding.substring(head.length()));
        }
    }

    /** Reads frames at no more than {@link #PACED_BYTES_PER_SECOND}, as a client on a slow link would. */
    static void readPaced(RawWebSocket socket, Sequence sequence, AtomicReference<Throwable> failure) {
        try {
            long start = System.nanoTime();
            long bytes = 0;
            while (sequence.next < BURST) {
                RawWebSocket.Frame frame = socket.read(ChatClient.WAIT);
                if (frame == null || frame.opcode() == RawWebSocket.Frame.CLOSE) {
                    throw new AssertionError("the paced reader was cut after " + sequence.next + ": " + frame);
                }
                if (frame.opcode() == RawWebSocket.Frame.TEXT) {
                    sequence.record(new String(frame.payload(), StandardCharsets.US_ASCII));
                    bytes += frame.payload().length;
                    Pace.until(start + TimeUnit.SECONDS.toNanos(1) * bytes / PACED_BYTES_PER_SECOND);
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    @Test
    void readersThatKeepReadingAreNeverCutByABurstLongerThanTheSendTimeout() throws Exception {
        String tag = "k" + System.nanoTime() % 1000 + "-";
        double cutBefore = probe.metric(SLOW_CONSUMER);
        int connectionsBefore = (int) probe.metric("chat_connections");
        Sequence senderSeq = new Sequence(tag);
        Sequence v1Seq = new Sequence(tag);
        Sequence pacedSeq = new Sequence(tag);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (ChatClient sender = ChatClient.connect(server.socketUri(null), ChatClient.options()
                .onFrame(senderSeq::record));
             ChatClient v1 = ChatClient.connect(server.socketUri(null), ChatClient.options().chatV1()
                     .onFrame(v1Seq::recordLines));
             RawWebSocket paced = RawWebSocket.connect(server.socketUri(null), 64 * 1024)) {
            reader.execute(() -> readPaced(paced, pacedSeq, failure));
            probe.awaitMetric("chat_connections", n -> n == connectionsBefore + 3, ChatClient.WAIT);

            long start = System.nanoTime();
            burst(sender, tag);
            Duration within = Duration.ofSeconds(120);
            senderSeq.awaitAll(within);
            v1Seq.awaitAll(within);
            pacedSeq.awaitAll(within);
            assertNull(failure.get(), () -> "paced reader: " + failure.get());
            double pacedSeconds = (pacedSeq.completedNanos - start) / 1e9;
            System.out.printf("[slow-consumer] %s: burst of %d x %d B; the paced reader took %.1f s, the send "
                    + "timeout is %.1f s%n",
                    server.containerName(), BURST, MESSAGE_BYTES, pacedSeconds, SEND_TIMEOUT_MILLIS / 1e3);
            // Its backlog outlasted the send timeout: what kept it is progress, not how far behind it was.
            assertTrue(pacedSeconds * 1000 > SEND_TIMEOUT_MILLIS, "the paced reader was behind for "
                    + pacedSeconds + " s");
            assertEquals(cutBefore, probe.metric(SLOW_CONSUMER), "nobody was cut as a slow consumer");
            assertFalse(sender.isClosed());
            assertFalse(v1.isClosed());
            assertNull(sender.error());
            assertNull(v1.error());
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void aReaderThatStopsIsCutWith1013WithinTheSendTimeoutAndFindsTheCloseWhenItReadsOn() throws Exception {
        String tag = "s" + System.nanoTime() % 1000 + "-";
        double cutBefore = probe.metric(SLOW_CONSUMER);
        int connectionsBefore = (int) probe.metric("chat_connections");
        Sequence senderSeq = new Sequence(tag);
        AtomicLong cutNanos = new AtomicLong();
        ExecutorService workers = Executors.newCachedThreadPool();
        try (ChatClient sender = ChatClient.connect(server.socketUri(null), ChatClient.options()
                .onFrame(senderSeq::record));
             RawWebSocket stalled = RawWebSocket.connect(server.socketUri(null), 4096)) {
            probe.awaitMetric("chat_connections", n -> n == connectionsBefore + 2, ChatClient.WAIT);
            long start = System.nanoTime();
            Future<?> watch = workers.submit(() -> {
                await("the stalled reader is cut").atMost(150, TimeUnit.SECONDS).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(50)).until(() -> probe.metric(SLOW_CONSUMER) > cutBefore);
                cutNanos.set(System.nanoTime());
                return null;
            });
            burst(sender, tag);
            senderSeq.awaitAll(Duration.ofSeconds(120)); // the sender reads its own: the room fanned out everything
            long fannedOut = senderSeq.completedNanos;
            watch.get(160, TimeUnit.SECONDS);
            assertTrue(cutNanos.get() != 0, "the stalled reader was not cut within 150 s");
            double afterStart = (cutNanos.get() - start) / 1e6;
            double afterFanOut = (cutNanos.get() - fannedOut) / 1e6;
            System.out.printf("[slow-consumer] %s: stalled reader cut %.0f ms after the burst began, %.0f ms after "
                    + "the last message was fanned out (bound: send timeout %d ms + housekeeping %d ms)%n",
                    server.containerName(), afterStart, afterFanOut, SEND_TIMEOUT_MILLIS, HOUSEKEEPING_MILLIS);
            // No send to it can have started before the burst: the cut cannot come before the timeout...
            assertTrue(afterStart >= SEND_TIMEOUT_MILLIS, "cut after only " + afterStart + " ms");
            // ...and its send stalled at the latest once everything was fanned out and the kernel's buffers filled.
            assertTrue(afterFanOut <= SEND_TIMEOUT_MILLIS + HOUSEKEEPING_MILLIS + SLACK_MILLIS,
                    "cut " + afterFanOut + " ms after the last message was fanned out");
            assertEquals(cutBefore + 1, probe.metric(SLOW_CONSUMER), "only the stalled reader was cut");
            assertFalse(sender.isClosed(), "the sender reads on and stays");

            // It reads on: the data that was on its way, then the close frame with 1013.
            RawWebSocket.Ending ending = stalled.drain(Duration.ofSeconds(30));
            System.out.printf("[slow-consumer] %s: stalled reader drained: %s%n", server.containerName(), ending);
            assertEquals(1013, ending.closeCode(), ending.toString());
            assertEquals("slow consumer", ending.close().closeReason());
            assertTrue(ending.messages() > 0 && ending.messages() < BURST, ending.toString());
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * A page closed while the server's send to it is stuck (the tab stopped reading, then went away) leaves at once,
     * not when the slow-consumer rule would cut it. (This does not reproduce the Tomcat spin that ChatEndpoint bounds:
     * here Tomcat answers the close in 0.1 s with or without the bound; the benchmark's thread dumps are that fix's
     * evidence.)
     */
    @Test
    void aReaderThatStopsAndThenClosesLeavesWithinSecondsNotAfterTheSendTimeout() throws Exception {
        String tag = "c" + System.nanoTime() % 1000 + "-";
        int connectionsBefore = (int) probe.metric("chat_connections");
        try (ChatClient sender = ChatClient.connect(server.socketUri(null), ChatClient.options());
             RawWebSocket stalled = RawWebSocket.connect(server.socketUri(null), 4096)) {
            probe.awaitMetric("chat_connections", n -> n == connectionsBefore + 2, ChatClient.WAIT);
            burst(sender, tag);
            // Queued bytes pile up only behind a send in flight that does not complete: the stalled reader's.
            probe.awaitMetric("chat_outbox_largest_bytes", bytes -> bytes > 1_000_000, Duration.ofSeconds(60));
            stalled.sendClose(1001);
            long closedAt = System.nanoTime();
            probe.awaitMetric("chat_connections", n -> n == connectionsBefore + 1, Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - closedAt) / 1e9;
            System.out.printf("[slow-consumer] %s: a stalled reader that closed left after %.1f s%n",
                    server.containerName(), seconds);
            assertTrue(seconds * 1000 < SEND_TIMEOUT_MILLIS * 0.6,
                    "left " + seconds + " s after its close frame: the slow-consumer rule, not the close, removed it");
            assertFalse(sender.isClosed(), "the sender stays");
        }
    }
}
