package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The nickname-claim tracker is bounded and never fails closed, and it counts an IPv6 client by its /64. Every
 * claim comes from 127.0.0.1, a trusted proxy here, which reports the client in {@code X-Forwarded-For}: that is how
 * one test can speak for 50,000 addresses over loopback only.
 */
class ClientTrackerIT extends ServerSuite {
    /** What IndexServlet tracks at most; the test claims from this many distinct addresses. */
    static final int TRACKED = 50_000;
    static final int BURST = 20;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(ChatClient.WAIT)
            .build();

    @Override
    Map<String, String> sharedServerParams() {
        // The real claim budget (web.xml's defaults, stated: the test harness lifts it for every other suite).
        return Map.of("chat.proxies.trusted", "127.0.0.1",
                "chat.nickname.claimBurst", String.valueOf(BURST),
                "chat.nickname.claimsPerMinute", "10");
    }

    private HttpRequest claim(String forwardedFor, String name) {
        return HttpRequest.newBuilder(server.pageUri().resolve("index"))
                .timeout(ChatClient.WAIT)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("Accept", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("user=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .build();
    }

    private int claimFrom(String forwardedFor, String name) throws IOException, InterruptedException {
        return http.send(claim(forwardedFor, name), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void fiftyThousandAddressesCannotLockOutANewcomer() throws Exception {
        // A claim of a name already held from each of 50,000 addresses: each is refused (409) and costs its own
        // address a token, and together they fill the tracker. (409 rather than an empty name's 400: Tomcat closes
        // the connection after a 400, and the test needs kept-alive, pipelined connections to be quick.)
        String held = unique("held");
        assertEquals(200, claimFrom("192.0.2.200", held));
        Map<Integer, Integer> statuses = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        for (int first = 0; first < TRACKED; first += PIPELINED) {
            assertTrue(System.nanoTime() < deadline, "50,000 claims took over three minutes; at " + first);
            List<String> addresses = new ArrayList<>();
            for (int i = first; i < Math.min(TRACKED, first + PIPELINED); i++) {
                addresses.add("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
            }
            for (int status : pipelinedClaims(addresses, held)) {
                statuses.merge(status, 1, Integer::sum);
            }
        }
        assertEquals(Map.of(409, TRACKED), statuses, "every claim refused as taken, none as rate limited");

        assertEquals(200, claimFrom("192.0.2.1", unique("newcomer")), "a new address's first claim");
        assertEquals(200, claimFrom("2001:db8:ffff:1::1", unique("newcomer6")), "and a new IPv6 client's");
    }

    /** Requests written back to back on one connection before the answers are read (Tomcat's keep-alive limit). */
    static final int PIPELINED = 100;

    /**
     * One claim of {@code name} per address, all written on one connection at once, then the answers read in
     * order: the status of each. Much cheaper for a loaded machine than one round trip per claim.
     */
    private List<Integer> pipelinedClaims(List<String> addresses, String name) throws IOException {
        String body = "user=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        StringBuilder requests = new StringBuilder();
        String path = server.pageUri().getRawPath() + "index";
        for (String address : addresses) {
            requests.append("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(server.port())
                    .append("\r\nAccept: application/json\r\nX-Forwarded-For: ").append(address)
                    .append("\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: ")
                    .append(body.length()).append("\r\n\r\n").append(body);
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout((int) ChatClient.WAIT.toMillis());
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < addresses.size(); i++) {
                statuses.add(readResponse(in));
            }
            return statuses;
        }
    }

    /** Reads one HTTP/1.1 response (Content-Length or chunked body) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            in.skipNBytes(length);
            return status;
        }
        for (long chunk = Long.parseLong(line(in).trim(), 16); chunk > 0; chunk = Long.parseLong(line(in).trim(), 16)) {
            in.skipNBytes(chunk);
            line(in);
        }
        line(in);
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended inside a response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void aRefusedClaimCostsTheClaimerOnly() throws Exception {
        for (int i = 0; i < BURST; i++) {
            assertEquals(400, claimFrom("198.51.100.20", ""), "empty claim " + i);
        }
        assertEquals(429, claimFrom("198.51.100.20", unique("late")), "its burst went on refused claims");
        assertEquals(200, claimFrom("198.51.100.21", unique("neighbour")), "its neighbour pays nothing for them");
    }

    @Test
    void anIpv6ClientIsItsSlash64() throws Exception {
        // Twenty addresses of one /64 (as one host may pick at will) share one burst; the next /64 has its own.
        for (int i = 0; i < BURST; i++) {
            assertEquals(200, claimFrom("2001:db8:aa:1::" + Integer.toHexString(i + 1), unique("six")), "claim " + i);
        }
        assertEquals(429, claimFrom("2001:db8:aa:1:ffff:ffff:ffff:ffff", unique("six")), "another address, same /64");
        assertEquals(200, claimFrom("2001:db8:aa:2::1", unique("six")), "the next /64 is another client");
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Client() throws Exception {
        for (int i = 0; i < BURST; i++) {
            assertEquals(400, claimFrom(i % 2 == 0 ? "::ffff:198.51.100.30" : "198.51.100.30", ""), "claim " + i);
        }
        assertEquals(429, claimFrom("198.51.100.30", unique("mapped")), "both spellings spent one burst");
    }
}
