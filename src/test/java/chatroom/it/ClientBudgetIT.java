package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.RawWebSocket;
import chatroom.testing.WebSession;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets follow the client, not the socket: the connections of one address share one
 * message budget, so do the tabs of one nickname, and an address holds at most a capped number of connections.
 * Each test leaves from loopback addresses of its own (every 127/8 address is the loopback).
 */
class ClientBudgetIT extends ServerSuite {
    /** web.xml's defaults for the budgets (set explicitly below); a small cap so the test opens few sockets. */
    static final int RATE = 20;
    static final int BURST = 40;
    static final int ADDRESS_RATE = 100;
    static final int ADDRESS_BURST = 200;
    static final int CAP = 40;
    private static final String RECEIVED = "chat_messages_received_total";
    private static final String ACCEPTED = "chat_messages_accepted_total";
    private static final String RATE_LIMITED = "chat_messages_rate_limited_total";


    @Override
    Map<String, String> sharedServerParams() {
        // Stated, not left to web.xml: the test harness lifts the per-address budgets for every other suite.
        return Map.of("chat.connections.perAddress", String.valueOf(CAP),
                "chat.rate.perAddress", String.valueOf(ADDRESS_RATE),
                "chat.rate.burstPerAddress", String.valueOf(ADDRESS_BURST));
    }

    /**
     * Each test starts from an empty room: a test that counts connections must not count the previous test's
     * sockets, whose closes the server may still be processing when the next test begins.
     */
    @AfterEach
    void awaitEveryConnectionClosed() {
        probe.awaitMetric("chat_connections", open -> open == 0, Duration.ofSeconds(30));
    }

    private static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    private RawWebSocket guest(InetAddress from) throws IOException {
        return RawWebSocket.connect(server.socketUri(null), from, 0, "Sec-WebSocket-Protocol: chat.v1");
    }

    private double metric(String series) {
        return probe.metrics().getOrDefault(series, 0.0);
    }

    /**
     * Waits until the server has read {@code count} more messages than it had in {@code before} (its metrics before
     * the test sent them) and decided on each; returns the seconds from {@code start} until they were read. A refusal
     * is counted at once, an acceptance only once the store has committed it (group commit, a moment later): the
     * accepted count read any earlier would be short.
     */
    private double awaitDecided(Map<String, Double> before, int count, long start) {
        probe.awaitMetric(RECEIVED, received -> received >= before.getOrDefault(RECEIVED, 0.0) + count,
                Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        probe.awaitMetric(ACCEPTED, accepted -> accepted - before.getOrDefault(ACCEPTED, 0.0)
                + metric(RATE_LIMITED) - before.getOrDefault(RATE_LIMITED, 0.0) >= count, Duration.ofSeconds(30));
        return seconds;
    }

    @Test
    void thirtyGuestSocketsFromOneAddressAreHeldToItsBudgetInTotal() throws Exception {
        InetAddress from = loopback(5);
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                sockets.add(guest(from));
            }
            Map<String, Double> before = probe.metrics();
            long start = System.nanoTime();
            for (int round = 0; round < BURST; round++) { // each socket's own burst: 1,200 in all
                for (RawWebSocket socket : sockets) {
                    socket.sendText("{\"type\":\"message\",\"text\":\"burst " + round + "\"}");
                }
            }
            double seconds = awaitDecided(before, 30 * BURST, start);
            double took = metric(ACCEPTED) - before.getOrDefault(ACCEPTED, 0.0);
            System.out.printf("[budgets] %s: 30 sockets x %d from one address in %.2f s -> %.0f accepted%n",
                    server.containerName(), BURST, seconds, took);
            assertTrue(took >= ADDRESS_BURST, "the address's burst is its own: " + took);
            assertTrue(took <= ADDRESS_BURST + ADDRESS_RATE * seconds + 1, took + " accepted in " + seconds + " s");
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void connectionsOverTheCapAreRefusedWhileAnotherAddressGetsIn() throws Exception {
        InetAddress crowded = loopback(6);
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            int before = probe.health().getInt("connections");
            for (int i = 0; i < CAP; i++) {
                sockets.add(guest(crowded));
            }
            probe.awaitMetric("chat_connections", open -> open >= before + CAP, Duration.ofSeconds(10));
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> guest(crowded));
            assertEquals(403, refused.status(), refused.toString());
            try (RawWebSocket other = guest(loopback(7))) {
                RawWebSocket.Frame welcome = other.read(ChatClient.WAIT);
                assertTrue(new String(welcome.payload()).contains("\"welcome\""), "another address still gets in");
            }
            RawWebSocket leaving = sockets.remove(0);
            leaving.read(ChatClient.WAIT); // its welcome: a socket closed with unread data is reset, not closed
            leaving.close();
            probe.awaitMetric("chat_connections", open -> open <= before + CAP - 1, Duration.ofSeconds(30));
            sockets.add(guest(crowded)); // a closed connection frees its place
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void twoTabsOfOneNicknameShareItsBudget() {
        WebSession visitor = new WebSession(server).nickname("tabs-" + UUID.randomUUID().toString().substring(0, 8));
        try (ChatClient first = visitor.connectChat(null); ChatClient second = visitor.connectChat(null)) {
            first.next("welcome");
            second.next("welcome");
            Map<String, Double> before = probe.metrics();
            long start = System.nanoTime();
            for (int i = 0; i < BURST; i++) { // each tab's own burst: twice the nickname's
                first.send(ChatClient.envelope("first " + i, "f-" + i));
                second.send(ChatClient.envelope("second " + i, "s-" + i));
            }
            double seconds = awaitDecided(before, 2 * BURST, start);
            double took = metric(ACCEPTED) - before.getOrDefault(ACCEPTED, 0.0);
            System.out.printf("[budgets] %s: two tabs x %d in %.2f s -> %.0f accepted%n", server.containerName(), BURST,
                    seconds, took);
            assertTrue(took >= BURST, "the nickname's burst: " + took);
            assertTrue(took <= BURST + RATE * seconds + 1, took + " accepted in " + seconds + " s");
            // Unshared, each tab would have had 40 + 20 / s of its own: twice this bound, however slow the machine.
        }
    }
}
