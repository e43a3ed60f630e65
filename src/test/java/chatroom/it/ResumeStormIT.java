package chatroom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.RawWebSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A storm of resumes that never read: sockets that ask for the whole history ({@code ?since=0}) and then read
 * nothing cost the server about one socket buffer each, not the replay's size, and the members who read go on
 * getting their messages at their idle latency meanwhile. The kernel's queued bytes are read where the kernel
 * keeps them, {@code /proc/net/tcp} (Linux): the send queues of the server's sockets on its port.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResumeStormIT extends ServerSuite {
    /** A few MB of history: 1,000 messages of 4,000 characters, about what one replay may hold (4 MiB). */
    static final int HISTORY = 1000;
    static final int TEXT_CHARS = 4000;
    static final int NON_READERS = 30;
    /**
     * What one non-reading socket may leave in the server's kernel send queue: its socket send buffer (64 KiB set,
     * which Linux doubles; about 150 KiB were measured) with room to spare. Left to the kernel's autotuning, each
     * held the whole replay, 3.7 MB.
     */
    static final long BYTES_PER_NON_READER = 256 * 1024;
    static final int LATENCY_SAMPLES = 15;

    @Override
    Map<String, String> sharedServerParams() {
        Map<String, String> params = new HashMap<>(RELAXED);
        params.put("chat.text.maxLength", String.valueOf(TEXT_CHARS));
        params.put("chat.idle.timeoutMillis", "0"); // the raw sockets answer no ping
        return params;
    }

    @Test
    void nonReadingResumesCostAboutASocketBufferEachAndReadersKeepTheirLatency() throws Exception {
        ChatClient sender = ChatClient.plain(server);
        ChatClient reader = ChatClient.plain(server);
        String text = "h".repeat(TEXT_CHARS);
        for (int i = 0; i < HISTORY; i++) {
            sender.send(i + text.substring(String.valueOf(i).length()));
        }
        for (int i = 0; i < HISTORY; i++) {
            assertTrue(reader.nextFrame().startsWith(String.valueOf(i)), "the history arrives in order");
        }
        long idleNanos = medianRoundTrip(sender, reader, "idle");

        List<RawWebSocket> nonReaders = new ArrayList<>();
        try {
            for (int i = 0; i < NON_READERS; i++) {
                nonReaders.add(RawWebSocket.connect(server.socketUri("since=0"), 0));
            }
            long bound = NON_READERS * BYTES_PER_NON_READER;
            // The replays fill what the kernel takes within moments; the readers' round trips meanwhile.
            long stormNanos = medianRoundTrip(sender, reader, "storm");
            long queued = serverSendQueueBytes();
            System.out.printf("[resume storm] %s: %d non-reading resumes, %d KiB in the server's send queues"
                    + " (bound %d KiB); reader round trip median %.1f ms idle, %.1f ms in the storm%n",
                    container, NON_READERS, queued / 1024, bound / 1024, idleNanos / 1e6, stormNanos / 1e6);
            assertTrue(queued > 0, "the non-readers have data queued towards them");
            assertTrue(queued <= bound, queued / 1024 + " KiB queued for " + NON_READERS + " non-readers");
            assertTrue(stormNanos <= Math.max(3 * idleNanos, idleNanos + TimeUnit.MILLISECONDS.toNanos(50)),
                    "reader latency " + stormNanos / 1e6 + " ms in the storm, " + idleNanos / 1e6 + " ms idle");
        } finally {
            for (RawWebSocket socket : nonReaders) {
                socket.close();
            }
            sender.close();
            reader.close();
        }
    }

    /** The median time from a send to the reader's receipt of it. */
    private static long medianRoundTrip(ChatClient sender, ChatClient reader, String tag) {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            String text = tag + "-" + i;
            long started = System.nanoTime();
            sender.send(text);
            assertEquals(text, reader.nextFrame());
            samples.add(System.nanoTime() - started);
        }
        samples.sort(null);
        return samples.get(samples.size() / 2);
    }

    /**
     * Bytes in the send queues of the server's sockets (local port = the server's), once they stop growing: the
     * {@code tx_queue} column of /proc/net/tcp, which counts what the kernel holds unsent or unacknowledged.
     */
    private long serverSendQueueBytes() {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = readSendQueues(server.port());
            boolean settled = now == last[0];
            last[0] = now;
            return settled;
        });
        return last[0];
    }

    static long readSendQueues(int port) throws IOException {
        long total = 0;
        String local = String.format(":%04X", port);
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(file);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 4 && columns[1].endsWith(local)) {
                    total += Long.parseLong(columns[4].split(":")[0], 16);
                }
            }
        }
        return total;
    }
}
