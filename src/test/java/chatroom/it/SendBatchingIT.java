package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With {@code chat.send.batching}, a burst reaches plain readers complete, in order, one frame per message, in the
 * container's batching. Also prints the write syscalls of this JVM (the embedded container and the test clients)
 * per delivery, with and without batching: the evidence of what the container makes of it (Linux's
 * {@code /proc/self/io}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SendBatchingIT extends ServerSuite {
    static final int READERS = 10;
    static final int BURST = 1000;

    @Override
    Map<String, String> sharedServerParams() {
        return params(true);
    }

    private static Map<String, String> params(boolean batching) {
        Map<String, String> params = new HashMap<>(RELAXED);
        params.put("chat.send.batching", String.valueOf(batching));
        params.put("chat.store.enabled", "false"); // no database writes among the ones counted
        return params;
    }

    @Test
    void aBurstReachesEveryPlainReaderCompleteAndInOrderOneFramePerMessage() throws IOException {
        double batched = burstWritesPerDelivery(server, "batched");
        double unbatched;
        try (ChatServer plain = start(params(false))) {
            unbatched = burstWritesPerDelivery(plain, "unbatched");
        }
        System.out.printf("[send batching] %s: %.3f write syscalls per delivery batched, %.3f unbatched%n",
                container, batched, unbatched);
    }

    /**
     * The next frame that is not another reader's hello (each reader hears the hellos of those who joined after it;
     * {@code own}: the hello this reader waits for, or -1).
     */
    private static String nextSkippingHellos(ChatClient reader, String tag, int own) {
        for (int skipped = 0; skipped <= READERS; skipped++) {
            String frame = reader.nextFrame();
            if (!frame.startsWith(tag + "-hello-") || frame.equals(tag + "-hello-" + own)) {
                return frame;
            }
        }
        throw new AssertionError("more hellos than readers");
    }

    /**
     * Sends a burst to {@link #READERS} plain readers, checks what each got, and returns this JVM's writes per
     * delivery.
     */
    private static double burstWritesPerDelivery(ChatServer on, String tag) throws IOException {
        List<ChatClient> readers = new ArrayList<>();
        ChatClient sender = ChatClient.plain(on);
        try {
            for (int i = 0; i < READERS; i++) {
                ChatClient reader = ChatClient.plain(on);
                readers.add(reader);
                // A plain socket has no welcome: its own echo says it is in the room (the container may run the
                // endpoint's open after the handshake's answer, so a message sent at once could miss it).
                reader.send(tag + "-hello-" + i);
                assertEquals(tag + "-hello-" + i, nextSkippingHellos(reader, tag, i), "reader " + i + " joined");
            }
            sender.send(tag + "-ready");
            for (ChatClient reader : readers) {
                assertEquals(tag + "-ready", nextSkippingHellos(reader, tag, -1), "every reader is in the room");
            }
            long writesBefore = writeSyscalls();
            for (int i = 0; i < BURST; i++) {
                sender.send(tag + "-" + i);
            }
            for (ChatClient reader : readers) {
                for (int i = 0; i < BURST; i++) {
                    assertEquals(tag + "-" + i, reader.nextFrame(), "each message once, alone, in order");
                }
            }
            return (double) (writeSyscalls() - writesBefore) / ((long) BURST * (READERS + 1));
        } finally {
            readers.forEach(ChatClient::close);
            sender.close();
        }
    }

    /** Write system calls this process has made ({@code syscw} in /proc/self/io). */
    private static long writeSyscalls() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("syscw:")) {
                return Long.parseLong(line.substring("syscw:".length()).trim());
            }
        }
        throw new IllegalStateException("no syscw in /proc/self/io");
    }
}
