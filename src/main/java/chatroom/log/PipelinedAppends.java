package chatroom.log;

import chatroom.cluster.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Appends to Redis off the container's threads, one round trip per batch instead of one per message: callers queue
 * a request and get a stage at once; one thread takes whatever has queued (up to {@link #MAX_BATCH}) and hands it to
 * {@code send}, which pipelines it and answers each request in order. While Redis is slow the queue fills and the
 * next round trip carries more, so the appends a node can make per second grow with the load instead of being one
 * round trip each. {@code send} either answers every request of a batch or throws, and then every request of the
 * batch gets {@code onFailure}'s answer: a request is answered exactly once.
 *
 * @param <R> a request
 * @param <A> its answer
 */
final class PipelinedAppends<R, A> {
    /** Most requests in one round trip: enough for any rate a room sees, small enough to keep a reply short. */
    static final int MAX_BATCH = 256;
    /** Requests waiting: past it an append is answered at once with {@code onFailure} (Redis cannot keep up). */
    static final int MAX_QUEUED = 10_000;
    /** How long the thread waits for a request before it checks whether it should stop. */
    private static final long POLL_MILLIS = 500;

    /** One round trip: the answers of {@code batch}, in its order. */
    interface Sender<R, A> {
        List<A> send(List<R> batch);
    }

    private record Pending<R, A>(R request, CompletableFuture<A> answer) {
    }

    private final Sender<R, A> send;
    private final Function<RuntimeException, A> onFailure;
    private final BlockingQueue<Pending<R, A>> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Worker worker;

    PipelinedAppends(String threadName, Sender<R, A> send, Function<RuntimeException, A> onFailure) {
        this.send = send;
        this.onFailure = onFailure;
        this.worker = new Worker(threadName, this::loop);
    }

    void start() {
        worker.start();
    }

    CompletionStage<A> append(R request) {
        CompletableFuture<A> answer = new CompletableFuture<>();
        Pending<R, A> pending = new Pending<>(request, answer);
        if (!queue.offer(pending)) {
            answer.complete(onFailure.apply(new IllegalStateException(MAX_QUEUED + " appends already waiting")));
        } else if (!worker.running() && queue.remove(pending)) { // stopped meanwhile: nobody would take it
            answer.complete(onFailure.apply(new IllegalStateException("stopped")));
        }
        return answer;
    }

    private void loop() {
        List<Pending<R, A>> batch = new ArrayList<>(MAX_BATCH);
        while (worker.running()) {
            try {
                Pending<R, A> first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                sendBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        // Stopped: whatever is still queued is answered, never left hanging.
        for (Pending<R, A> pending; (pending = queue.poll()) != null; ) {
            pending.answer().complete(onFailure.apply(new IllegalStateException("stopped")));
        }
    }

    private void sendBatch(List<Pending<R, A>> batch) {
        List<A> answers;
        try {
            List<R> requests = new ArrayList<>(batch.size());
            batch.forEach(pending -> requests.add(pending.request()));
            answers = send.send(requests);
            if (answers.size() != batch.size()) {
                throw new IllegalStateException(answers.size() + " answers to " + batch.size() + " requests");
            }
        } catch (RuntimeException e) { // Jedis's, or a reply of an unexpected shape: every request gets an answer
            A failed = onFailure.apply(e);
            batch.forEach(pending -> pending.answer().complete(failed));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer().complete(answers.get(i));
        }
    }

    /** Stops taking requests, answers those queued with {@code onFailure}, waits up to {@code joinMillis}. */
    void stop(long joinMillis) {
        worker.stop(joinMillis);
    }
}
