package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static chatroom.testing.ChatClient.envelope;
import static chatroom.testing.ChatClient.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.Pace;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A flooding connection is rate limited, then closed with 1008 for sustained abuse, while a well-behaved member's
 * messages all arrive, in order. The shared server has a low rate, so the abuse shows within seconds.
 */
class RateLimitIT extends ServerSuite {
    static final int RATE = 10;
    static final int BURST = 10;

    @Override
    Map<String, String> sharedServerParams() {
        return Map.of("chat.rate.perSecond", String.valueOf(RATE), "chat.rate.burst", String.valueOf(BURST));
    }

    @Test
    void floodIsRateLimitedThenClosedWith1008WhileOthersAreDelivered() throws Exception {
        String calmName = unique("calm");
        try (ChatClient observer = WebSession.joined(server, unique("obs"), null);
             ChatClient flooder = WebSession.joined(server, unique("flood"), null);
             ChatClient calm = WebSession.joined(server, calmName, null)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger floodSent = new AtomicInteger();
            // Five times the rate: after the burst four in five are refused; the abuse meter grows by those and
            // drains at the rate, so it passes 15 x rate after 15 / (4 - 1) = 5 s (RateLimiter).
            long floodPeriodNanos = TimeUnit.SECONDS.toNanos(1) / (5 * RATE);
            long floodStart = System.nanoTime();
            Thread floodThread = new Thread(() -> {
                try {
                    for (int i = 0; !flooder.isClosed()
                            && System.nanoTime() - floodStart < TimeUnit.SECONDS.toNanos(15); i++) {
                        Pace.until(floodStart + i * floodPeriodNanos);
                        flooder.send(envelope("flood-" + i, "f-" + i));
                        floodSent.incrementAndGet();
                    }
                } catch (AssertionError e) {
                    try {
                        flooder.awaitClose(); // a send racing the server's close fails: that is the close
                    } catch (AssertionError notClosed) {
                        failure.compareAndSet(null, e);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "flooder");
            floodThread.start();

            // Meanwhile a well-behaved member talks at half the rate.
            List<String> calmSent = new ArrayList<>();
            long calmPeriodNanos = TimeUnit.SECONDS.toNanos(1) * 2 / RATE;
            for (int i = 0; !flooder.isClosed() && System.nanoTime() - floodStart < TimeUnit.SECONDS.toNanos(15); i++) {
                Pace.until(floodStart + i * calmPeriodNanos);
                String text = "calm-" + i;
                calm.send(text);
                calmSent.add(text);
            }
            ChatClient.Closed closed = flooder.awaitClose(Duration.ofSeconds(5));
            double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
            floodThread.join(5_000);
            assertNull(failure.get(), () -> "flood thread failed: " + failure.get());
            assertEquals(1008, closed.code(), closed.toString());
            assertTrue(floodSent.get() > 15 * RATE, "closed only after sustained abuse, not at the first refusal: "
                    + floodSent.get() + " sent");
            String last = "calm-last";
            calm.send(last);
            calmSent.add(last);

            List<String> calmSeen = new ArrayList<>();
            Set<String> floodSeen = new HashSet<>();
            while (!calmSeen.contains(last)) {
                JsonObject message = observer.next("message");
                if (calmName.equals(message.getString("from"))) {
                    calmSeen.add(message.getString("text"));
                } else {
                    floodSeen.add(message.getString("cid"));
                }
            }
            assertEquals(calmSent, calmSeen, "every message of the well-behaved member, in order");
            double allowed = BURST + RATE * floodSeconds;
            assertTrue(floodSeen.size() <= allowed, floodSeen.size() + " flood messages broadcast in " + floodSeconds
                    + " s; the bucket allows " + allowed);

            Set<String> refused = new HashSet<>();
            for (String frame = flooder.frameWithin(Duration.ZERO); frame != null;
                    frame = flooder.frameWithin(Duration.ZERO)) {
                for (String line : ChatClient.lines(frame)) {
                    JsonObject envelope = parse(line);
                    if ("error".equals(envelope.getString("type"))) {
                        assertEquals("rate_limited", envelope.getString("code"), envelope.toString());
                        refused.add(envelope.getString("cid")); // every flood message had one: its error carries it
                    }
                }
            }
            assertFalse(refused.isEmpty(), "the flooder was told it was rate limited");
            Set<String> refusedButBroadcast = new HashSet<>(refused);
            refusedButBroadcast.retainAll(floodSeen);
            assertEquals(Set.of(), refusedButBroadcast, "a refused message is never broadcast");
            System.out.printf("[hardening] %s flood: %d sent in %.1f s, %d broadcast, %d rate_limited errors seen, "
                    + "closed %s%n",
                    server.containerName(), floodSent.get(), floodSeconds, floodSeen.size(), refused.size(), closed);
        }
    }
}
