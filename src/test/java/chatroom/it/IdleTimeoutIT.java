package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static chatroom.testing.ChatClient.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.RawWebSocket;
import chatroom.testing.WebSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keepalive: a peer that goes silent (answers no ping) is closed as idle after the timeout, while a client that
 * only answers pings stays. The shared server pings every second and times out after three.
 */
class IdleTimeoutIT extends ServerSuite {
    static final long PING_MILLIS = 1000;
    static final long IDLE_MILLIS = 3000;
    /** How often the room checks idle peers: a peer is dropped at most this long after its timeout. */
    static final long HOUSEKEEPING_MILLIS = 1000;

    @Override
    Map<String, String> sharedServerParams() {
        return Map.of("chat.ping.intervalMillis", String.valueOf(PING_MILLIS),
                "chat.idle.timeoutMillis", String.valueOf(IDLE_MILLIS));
    }

    @Test
    void silentPeerIsDroppedAfterTheIdleTimeoutWhileAPingAnsweringClientStays() throws Exception {
        String ghost = unique("ghost");
        try (ChatClient watcher = WebSession.joined(server, unique("watch"), null)) {
            long watcherSilentSince = System.nanoTime();
            WebSession ghostSession = new WebSession(server).nickname(ghost);
            // Never reads, never answers a ping, never sends a close frame: a laptop lid closed on a Wi-Fi link.
            try (RawWebSocket silent = RawWebSocket.connect(server.socketUri(null), 0, "Cookie: "
                    + ghostSession.cookieHeader())) {
                long connected = System.nanoTime();
                watcher.next(ChatClient.arrived(ghost));
                watcher.next(ChatClient.departed(ghost));
                long goneAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected);
                assertTrue(goneAfterMillis >= IDLE_MILLIS - HOUSEKEEPING_MILLIS, "not dropped early: "
                        + goneAfterMillis + " ms");
                // At most one housekeeping period after the timeout; two more for a machine shared with other builds.
                assertTrue(goneAfterMillis <= IDLE_MILLIS + 3 * HOUSEKEEPING_MILLIS, "dropped " + goneAfterMillis
                        + " ms after connecting");

                RawWebSocket.Ending ending = silent.drain(ChatClient.WAIT);
                assertTrue(ending.pings() >= 1, "the server pinged before giving up: " + ending);
                assertEquals(1001, ending.closeCode(), "closed as idle: " + ending);
                assertEquals("idle timeout", ending.close().closeReason());
                System.out.printf("[hardening] %s silent peer: left after %d ms; %s%n", server.containerName(),
                        goneAfterMillis, ending);
            }
            // The watcher has sent nothing since its welcome, only answered pings: it must outlive two idle timeouts.
            long stayUntil = watcherSilentSince + TimeUnit.MILLISECONDS.toNanos(2 * IDLE_MILLIS);
            while (System.nanoTime() < stayUntil) {
                String frame = watcher.frameWithin(Duration.ofNanos(Math.max(1, stayUntil - System.nanoTime())));
                for (String line : frame == null ? List.<String>of() : ChatClient.lines(frame)) {
                    assertEquals("presence", parse(line).getString("type"), "only presence: " + line);
                }
            }
            assertFalse(watcher.isClosed(), "the ping-answering client is still connected");
            String text = unique("still-alive");
            watcher.send(text);
            assertEquals(text, watcher.next("message").getString("text"));
        }
    }
}
