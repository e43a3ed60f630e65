package chatroom.it;

import static chatroom.testing.ChatClient.plain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.ChatSettings;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.Pace;
import chatroom.testing.RawWebSocket;
import chatroom.testing.ServerProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Under sustained load, readers that stop reading are closed as slow consumers while every healthy reader gets
 * every message, whole and in order; what was stuck for the slow ones comes out when they read again. A server
 * of its own, with the limits lifted to the load.
 */
class SlowReadersUnderLoadIT extends ContainerSuite {
    /**
     * The issue asks for 200 healthy readers for 20 s; this is half of each. Its rate, message size and number of
     * senders and slow readers are kept: they set what each member must carry (1.6 MB/s). The server keeps the
     * default slow-consumer rule: a member whose send makes no progress for 10 s is cut, whatever its backlog
     * (once, an outbox bound of 1 MiB, 0.64 s of this traffic, cut healthy readers on a busy machine). On this
     * project's machines (2 cores, shared with other builds) the full size took 25-40 s per container, twice the
     * suite's budget. Raise them on a machine of your own.
     */
    static final int HEALTHY = 100;
    static final int RUN_SECONDS = 10;
    static final int SLOW = 5;
    static final int SENDERS = 5;
    static final int MESSAGES_PER_SECOND = 200;
    static final int MESSAGE_BYTES = 8192;
    /**
     * A healthy reader's socket receive buffer. A real client's grows by autotuning as it keeps up; here, with
     * hundreds of reader threads on two shared cores, a reader is sometimes not scheduled for a while.
     */
    static final int HEALTHY_RECEIVE_BUFFER = 1024 * 1024;
    /**
     * Traffic at the full rate before the slow readers connect and the count starts, as any load test has: on a
     * cold JVM the first second of JIT compilation and thread-pool growth stalls a container.
     */
    static final int WARM_UP_SECONDS = 2;
    static final char WARM_UP = 'w';

    /** Counts one reader's messages and checks that every sender's sequence arrives whole and in order. */
    static final class Tally {
        private final int[] next = new int[SENDERS];
        private final int expected;
        private final CountDownLatch complete;
        private final int warmUpExpected;
        private final CountDownLatch warmedUp;
        private int warmUpCount;
        private volatile int count;

        Tally(int expected, CountDownLatch complete, int warmUpExpected, CountDownLatch warmedUp) {
            this.expected = expected;
            this.complete = complete;
            this.warmUpExpected = warmUpExpected;
            this.warmedUp = warmedUp;
        }

        /**
         * {@code head}: the message's first characters, "sender:seq:..." ("w..." in the warm-up); one reader
         * thread at a time.
         */
        void record(CharSequence head, int length) {
            if (head.charAt(0) == WARM_UP) {
                if (++warmUpCount == warmUpExpected) {
                    warmedUp.countDown();
                }
                return;
            }
            int colon = indexOf(head, ':', 0);
            int sender = Integer.parseInt(head, 0, colon, 10);
            int seq = Integer.parseInt(head, colon + 1, indexOf(head, ':', colon + 1), 10);
            if (seq != next[sender] || length != MESSAGE_BYTES) {
                throw new AssertionError("from sender " + sender + " expected #" + next[sender] + " of " + MESSAGE_BYTES
                        + " bytes, got #" + seq + " of " + length);
            }
            next[sender]++;
            if (++count == expected) {
                complete.countDown();
            }
        }

        private static int indexOf(CharSequence s, char c, int from) {
            for (int i = from; i < s.length(); i++) {
                if (s.charAt(i) == c) {
                    return i;
                }
            }
            throw new AssertionError("no '" + c + "' in " + s.subSequence(0, Math.min(20, s.length())));
        }

        int count() {
            return count;
        }

        int[] nextPerSender() {
            return next.clone();
        }
    }

    /**
     * A healthy plain reader that reads as fast as it can. A bare socket and a blocking thread, not the JDK
     * client: with 200 JDK WebSockets in one HttpClient, every frame re-registers its channel with the one
     * selector thread under one lock, and that test-side bottleneck, not the server, made readers fall behind.
     */
    static void readAll(RawWebSocket socket, Tally tally, int expected) throws Exception {
        while (tally.count() < expected) {
            RawWebSocket.Frame frame = socket.read(ChatClient.WAIT);
            if (frame == null || frame.opcode() == RawWebSocket.Frame.CLOSE) {
                throw new AssertionError("healthy reader's connection ended after " + tally.count() + ": " + frame);
            }
            if (frame.opcode() == RawWebSocket.Frame.TEXT) {
                byte[] payload = frame.payload();
                tally.record(new String(payload, 0, Math.min(32, payload.length), StandardCharsets.US_ASCII),
                        payload.length);
            }
        }
    }

    /**
     * Starts every sender on its own thread at its share of the rate, messages "{tag}{sender}:{seq}:xxx..." of
     * {@link #MESSAGE_BYTES}; returns when they started. Failures go to {@code failure}, the time the last one
     * finished to {@code lastSent}.
     */
    static long send(ExecutorService workers, List<ChatClient> senders, String tag, int perSender,
                     AtomicReference<Throwable> failure, AtomicLong lastSent) {
        String padding = "x".repeat(MESSAGE_BYTES);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * SENDERS / MESSAGES_PER_SECOND;
        long start = System.nanoTime();
        for (int s = 0; s < senders.size(); s++) {
            String prefix = tag + s + ":";
            ChatClient client = senders.get(s);
            long offset = periodNanos * s / SENDERS;
            workers.execute(() -> {
                try {
                    for (int seq = 0; seq < perSender; seq++) {
                        Pace.until(start + offset + seq * periodNanos);
                        String head = prefix + seq + ":";
                        client.send(head + padding.substring(head.length()));
                    }
                    lastSent.accumulateAndGet(System.nanoTime(), Math::max);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        return start;
    }

    @Test
    void slowReadersAreClosedAsSlowConsumersWhileEveryHealthyReaderGetsEverything() throws Exception {
        int perSender = MESSAGES_PER_SECOND * RUN_SECONDS / SENDERS;
        int total = perSender * SENDERS;
        // The rate limit is lifted, not set to the senders' share: a sender (or the container thread reading it)
        // held up for 2 s on a machine at a load average of 97 sent its backlog in one clump, passed a burst of
        // 80, and its plain message was dropped as rate-limited ("from sender 3 expected #395, got #396").
        // 8 KiB of ASCII is allowed as one message; the outbox bound and the send timeout are the defaults.
        Map<String, String> settings = Map.of(
                "chat.rate.perSecond", String.valueOf(total),
                "chat.rate.burst", String.valueOf(total),
                "chat.text.maxLength", String.valueOf(MESSAGE_BYTES),
                // Every sender leaves from one address: its shared budget must carry them all.
                "chat.rate.perAddress", String.valueOf(total),
                "chat.rate.burstPerAddress", String.valueOf(total));
        List<RawWebSocket> slow = new ArrayList<>();
        List<RawWebSocket> healthy = new ArrayList<>();
        List<ChatClient> senders = new ArrayList<>();
        List<Tally> tallies = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        ExecutorService workers = Executors.newCachedThreadPool();
        long setupStart = System.nanoTime();
        ChatServer slowServer = start(settings);
        try {
            ServerProbe figures = new ServerProbe(slowServer);
            CountDownLatch complete = new CountDownLatch(HEALTHY + SENDERS);
            CountDownLatch warmedUp = new CountDownLatch(HEALTHY + SENDERS);
            List<Runnable> startReaders = new ArrayList<>();
            int warmUpPerSender = MESSAGES_PER_SECOND * WARM_UP_SECONDS / SENDERS;
            int warmUpTotal = warmUpPerSender * SENDERS;
            for (int i = 0; i < HEALTHY; i++) {
                RawWebSocket socket = RawWebSocket.connect(slowServer.socketUri(null), HEALTHY_RECEIVE_BUFFER);
                healthy.add(socket);
                Tally tally = new Tally(total, complete, warmUpTotal, warmedUp);
                tallies.add(tally);
                // Started once everyone is connected: a read waits 10 s for a frame, and on a busy machine the
                // set-up alone took 20 s, so the first readers timed out before any traffic.
                startReaders.add(() -> {
                    try {
                        readAll(socket, tally, total);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            for (int i = 0; i < SENDERS; i++) {
                // The senders are plain members too: they get every message, their own included.
                Tally tally = new Tally(total, complete, warmUpTotal, warmedUp);
                tallies.add(tally);
                senders.add(ChatClient.connect(slowServer.socketUri(null),
                        ChatClient.options().onFrame(frame -> tally.record(frame, frame.length()))));
            }
            figures.awaitMetric("chat_connections", n -> n == HEALTHY + SENDERS, ChatClient.WAIT);
            startReaders.forEach(workers::execute);
            AtomicLong lastSentNanos = new AtomicLong();
            send(workers, senders, WARM_UP + "", warmUpPerSender, failure, lastSentNanos);
            assertTrue(warmedUp.await(WARM_UP_SECONDS + 30, TimeUnit.SECONDS) && failure.get() == null,
                    () -> "warm-up not received: " + failure.get());
            for (int i = 0; i < SLOW; i++) {
                // A receive window of a few KiB from the first byte; then nothing is ever read.
                slow.add(RawWebSocket.connect(slowServer.socketUri(null), 4096));
            }
            figures.awaitMetric("chat_connections", n -> n == SLOW + HEALTHY + SENDERS, ChatClient.WAIT);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

            AtomicLong maxOutboxBytes = new AtomicLong();
            AtomicLong maxLargestOutboxBytes = new AtomicLong();
            AtomicLong afterSlowClosedMaxOutboxBytes = new AtomicLong();
            CountDownLatch slowClosed = new CountDownLatch(1);
            String slowCloses = "chat_closes_total{reason=\"slow_consumer\"}";
            poller.scheduleWithFixedDelay(() -> {
                try {
                    Map<String, Double> now = figures.metrics();
                    long outbox = now.get("chat_outbox_bytes").longValue();
                    maxOutboxBytes.accumulateAndGet(outbox, Math::max);
                    maxLargestOutboxBytes.accumulateAndGet(now.get("chat_outbox_largest_bytes").longValue(), Math::max);
                    if (slowClosed.getCount() == 0) {
                        afterSlowClosedMaxOutboxBytes.accumulateAndGet(outbox, Math::max);
                    }
                    if (now.get(slowCloses) >= SLOW) {
                        slowClosed.countDown();
                    }
                    if (now.get(slowCloses) > SLOW) {
                        throw new AssertionError("a healthy reader was closed too: " + closes(now));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, 0, 250, TimeUnit.MILLISECONDS);

            long runStart = send(workers, senders, "", perSender, failure, lastSentNanos);
            // Everything received, or the first failure (a reader's, a sender's, the poller's), or the bound; the
            // checks below say which.
            long boundNanos = runStart + TimeUnit.SECONDS.toNanos(RUN_SECONDS + 30) - System.nanoTime();
            try {
                await().atMost(Duration.ofNanos(Math.max(1, boundNanos))).pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                    senders.stream().filter(c -> c.error() != null).findFirst()
                            .ifPresent(c -> failure.compareAndSet(null, c.error()));
                    return complete.getCount() == 0 || failure.get() != null;
                });
            } catch (ConditionTimeoutException e) {
                // the assertion on the count below names the readers that are short
            }
            double receiveSeconds = (System.nanoTime() - runStart) / 1e9;
            if (failure.get() != null) {
                throw new AssertionError("failed after " + receiveSeconds + " s; short:" + shortReaders(tallies, total),
                        failure.get());
            }
            assertEquals(0, complete.getCount(), "every reader got every message; short:"
                    + shortReaders(tallies, total));
            double sendSeconds = (lastSentNanos.get() - runStart) / 1e9;
            assertTrue(slowClosed.await(30, TimeUnit.SECONDS), "the slow readers were closed as slow consumers");

            // Now the slow readers read: what was stuck for them comes out, then the connection's end.
            List<Future<RawWebSocket.Ending>> drains = new ArrayList<>();
            for (RawWebSocket socket : slow) {
                drains.add(workers.submit(() -> socket.drain(Duration.ofSeconds(30))));
            }
            List<RawWebSocket.Ending> endings = new ArrayList<>();
            for (Future<RawWebSocket.Ending> drain : drains) {
                endings.add(drain.get(40, TimeUnit.SECONDS));
            }
            poller.shutdown();
            assertTrue(poller.awaitTermination(5, TimeUnit.SECONDS));
            Map<String, Double> end = figures.metrics();
            System.out.printf("[hardening] %s slow readers: %d healthy + %d senders + %d slow; set up in %.1f s; "
                            + "%d messages sent in %.1f s, all received after %.1f s; max chat_outbox_bytes %d "
                            + "(after the slow closes %d); closes %s; send failures %.0f%n",
                    slowServer.containerName(), HEALTHY, SENDERS, SLOW, setupSeconds, total, sendSeconds,
                    receiveSeconds,
                    maxOutboxBytes.get(), afterSlowClosedMaxOutboxBytes.get(), closes(end),
                    end.get("chat_send_failures_total"));
            endings.forEach(e -> System.out.printf("[hardening] %s slow reader drained: %s%n",
                    slowServer.containerName(), e));

            assertNull(failure.get(), () -> "metrics poller failed: " + failure.get());
            for (Tally tally : tallies) {
                int[] next = tally.nextPerSender();
                for (int s = 0; s < SENDERS; s++) {
                    assertEquals(perSender, next[s], "last message of sender " + s);
                }
            }
            for (ChatClient sender : senders) {
                assertNull(sender.error());
                assertFalse(sender.isClosed(), "a sender is still connected");
            }
            assertEquals(SLOW, series(end, slowCloses), "exactly the slow readers were closed as slow consumers");
            assertEquals(HEALTHY + SENDERS, series(end, "chat_connections"));
            // The room closes an expelled session only once its send in flight settles (or the close grace
            // passes), so a reader that catches up finds the close frame after the stuck data in both containers.
            for (RawWebSocket.Ending ending : endings) {
                assertEquals(1013, ending.closeCode(), ending.toString());
                assertEquals("slow consumer", ending.close().closeReason());
            }
            // The memory backstop: no outbox ever holds more than chat.outbox.maxBytes. How much members hold at a
            // moment depends on how busy the machine is, so the totals are printed above, not asserted.
            long bound = ChatSettings.defaults().outboxMaxBytes();
            assertTrue(maxLargestOutboxBytes.get() <= bound, "no outbox above the bound: largest seen "
                    + maxLargestOutboxBytes.get());
        } finally {
            poller.shutdownNow();
            senders.forEach(ChatClient::close);
            for (RawWebSocket socket : slow) {
                socket.close();
            }
            for (RawWebSocket socket : healthy) {
                socket.close();
            }
            workers.shutdownNow();
            slowServer.close();
        }
    }

    private static double series(Map<String, Double> metrics, String series) {
        Double value = metrics.get(series);
        assertNotNull(value, series);
        return value;
    }

    private static Map<String, Double> closes(Map<String, Double> metrics) {
        Map<String, Double> closes = new HashMap<>();
        metrics.forEach((series, value) -> {
            if (series.startsWith("chat_closes_total") && value > 0) {
                closes.put(series.substring(series.indexOf('"') + 1, series.lastIndexOf('"')), value);
            }
        });
        return closes;
    }

    private static String shortReaders(List<Tally> tallies, int total) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < tallies.size(); i++) {
            if (tallies.get(i).count() < total) {
                list.append(' ').append(i).append('=').append(tallies.get(i).count());
            }
        }
        return list.toString();
    }
}
