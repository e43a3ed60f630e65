package chatroom.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching of Redis appends, with a round trip the test controls: what queues while one round trip is under way
 * goes in the next as one batch, every request is answered once and in order, a failed round trip answers its whole
 * batch with the failure. (RedisLogTest runs the real thing against redis-server.)
 */
class PipelinedAppendsTest {
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstRoundTripStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private volatile boolean failNext;
    private final PipelinedAppends<Integer, String> appends = new PipelinedAppends<>("test-appender", this::roundTrip,
            e -> "failed: " + e.getMessage());

    private List<String> roundTrip(List<Integer> batch) {
        batches.add(List.copyOf(batch));
        if (batches.size() == 1) {
            firstRoundTripStarted.countDown();
            try {
                assertTrue(releaseFirst.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        if (failNext) {
            throw new IllegalStateException("connection reset (test)");
        }
        return batch.stream().map(n -> "stored " + n).toList();
    }

    @AfterEach
    void stop() {
        releaseFirst.countDown();
        appends.stop(5000);
    }

    private static String answer(CompletableFuture<String> stage) throws Exception {
        return stage.get(5, TimeUnit.SECONDS);
    }

    @Test
    void whatQueuesDuringARoundTripGoesInTheNextOneAnsweredInOrder() throws Exception {
        appends.start();
        CompletableFuture<String> first = appends.append(0).toCompletableFuture();
        assertTrue(firstRoundTripStarted.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            queued.add(appends.append(i).toCompletableFuture());
        }
        releaseFirst.countDown();
        assertEquals("stored 0", answer(first));
        for (int i = 1; i <= 100; i++) {
            assertEquals("stored " + i, answer(queued.get(i - 1)));
        }
        assertEquals(List.of(0), batches.get(0));
        assertEquals(2, batches.size(), "the hundred that queued meanwhile went in one round trip: " + batches);
        assertEquals(100, batches.get(1).size());
    }

    @Test
    void aFailedRoundTripAnswersEveryRequestOfItsBatchWithTheFailure() throws Exception {
        appends.start();
        CompletableFuture<String> first = appends.append(0).toCompletableFuture();
        assertTrue(firstRoundTripStarted.await(5, TimeUnit.SECONDS));
        CompletableFuture<String> a = appends.append(1).toCompletableFuture();
        CompletableFuture<String> b = appends.append(2).toCompletableFuture();
        failNext = true;
        releaseFirst.countDown();
        assertEquals("failed: connection reset (test)", answer(first));
        assertEquals("failed: connection reset (test)", answer(a));
        assertEquals("failed: connection reset (test)", answer(b));
        failNext = false;
        assertEquals("stored 3", answer(appends.append(3).toCompletableFuture()), "the next round trip works again");
    }

    @Test
    void pastTheQueueBoundAnAppendIsAnsweredAtOnceAndStoppingAnswersWhatWaits() throws Exception {
        appends.start();
        appends.append(0);
        assertTrue(firstRoundTripStarted.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < PipelinedAppends.MAX_QUEUED; i++) {
            waiting.add(appends.append(i).toCompletableFuture());
        }
        CompletableFuture<String> over = appends.append(-1).toCompletableFuture();
        assertTrue(over.isDone(), "answered without waiting");
        assertTrue(answer(over).startsWith("failed: "), answer(over));
        releaseFirst.countDown();
        appends.stop(5000);
        for (CompletableFuture<String> stage : waiting) {
            assertTrue(answer(stage).startsWith("stored ") || answer(stage).equals("failed: stopped"), answer(stage));
        }
        assertEquals("failed: stopped", answer(appends.append(7).toCompletableFuture()));
    }
}
