package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.StandaloneJetty;
import chatroom.testing.StandaloneTomcat;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged WAR, dropped unchanged into the real standalone Tomcat and Jetty distributions (unpacked into
 * target/dist by mvn verify), each run as its own process: the WAR carries what it needs and nothing that clashes.
 * The full chat contract runs against the embedded containers, with their default settings; this checks that each
 * part works once deployed as docs/TUNING.md recommends (Tomcat with its connector attributes and JVM option, Jetty as
 * it comes).
 */
@ParameterizedClass(name = "{0}")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnumSource
class StandaloneDropInIT {
    enum Distribution {
        TOMCAT(StandaloneTomcat::start),
        JETTY(StandaloneJetty::start);

        private final Supplier<ChatServer> start;

        Distribution(Supplier<ChatServer> start) {
            this.start = start;
        }
    }

    /** One server per distribution, shared by that distribution's tests (JUnit makes an instance per test). */
    private static ChatServer server;

    @Parameter
    Distribution distribution;

    @BeforeParameterizedClassInvocation
    static void startServer(Distribution distribution) {
        server = distribution.start.get();
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void pageRendersWithTheJspEvaluated() {
        HttpResponse<String> page = new WebSession(server).getPage();
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertFalse(page.body().contains("${"), "EL evaluated");
        assertTrue(page.body().contains("static/chat.js"), "page loads its script");
    }

    @Test
    void nicknamePostAnswersWithTheName() {
        String name = unique("ana");
        HttpResponse<String> response = new WebSession(server).postNickname(name);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"user\":\"" + name + "\"}", response.body());
    }

    /**
     * The web layer's defences as deployed: the distributions read web.xml (Servlet 6.1 cookie attributes, error
     * pages, Jetty's dirAllowed context-param) as the embedded containers do.
     */
    @Test
    void theDeployedWarCreatesNoSessionForAVisitAndShowsNoContainerDetails() {
        WebSession visitor = new WebSession(server);
        HttpResponse<String> page = visitor.getPage();
        assertEquals(List.of(), page.headers().allValues("Set-Cookie"), "a visit creates no session");
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'self'"));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
        String cookie = visitor.postNickname(unique("cookie")).headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.replace(" ", "").toLowerCase(Locale.ROOT).contains(";samesite=lax"), cookie);

        WebSession stranger = new WebSession(server);
        WebAbuseIT.assertJsonError(stranger.get("no/such/page"), 404, "not_found");
        HttpResponse<String> folder = stranger.get("static/");
        assertFalse(folder.body().contains("chat.js"), "no directory listing: " + folder.body());
        WebAbuseIT.assertNoServerDetails(folder);
    }

    @Test
    void plainBroadcastReachesBothClientsOwnEchoFirst() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // Each client's own echo proves it is a member (the handshake completes before the server's onOpen).
        try (ChatClient a = ChatClient.connect(server.socketUri(null), ChatClient.options())) {
            a.send("a-ready-" + tag);
            assertEquals("a-ready-" + tag, a.nextFrame());
            try (ChatClient b = ChatClient.connect(server.socketUri(null), ChatClient.options())) {
                b.send("b-ready-" + tag);
                assertEquals("b-ready-" + tag, b.nextFrame(), "b's own echo first");
                assertEquals("b-ready-" + tag, a.nextFrame(), "then a sees b's message");

                a.send("hello from a " + tag);
                assertEquals("hello from a " + tag, a.nextFrame(), "a's own echo first");
                assertEquals("hello from a " + tag, b.nextFrame(), "then b sees a's message");
            }
        }
    }

    /**
     * Messages at the default length limit, 2,000 characters of 3 UTF-8 bytes each: on Tomcat, with the buffers of
     * docs/TUNING.md, every such frame is read through the 1 KiB socket buffer and sent in 4 KiB fragments, and chat.v1
     * may coalesce the burst into frames several times that (when the reader's outbox is busy). Each reader gets every
     * text whole, once, in order.
     * Jetty runs the same test as it comes.
     */
    @Test
    void messagesAtTheLengthLimitArriveWholeInBothProtocols() {
        List<String> texts = Stream.of("0", "1", "2", "3", "4", "5")
                .map(digit -> digit + "\u20ac".repeat(1999)).toList(); // a digit and 1,999 euro signs: 5,998 bytes
        try (ChatClient plain = ChatClient.plain(server)) {
            plain.send("ready");
            assertEquals("ready", plain.nextFrame(), "its own echo: a member from now on");
            try (ChatClient reader = WebSession.joined(server, unique("rd"), null);
                    ChatClient writer = WebSession.joined(server, unique("wr"), null)) {
                for (int i = 0; i < texts.size(); i++) { // sent back to back: the reader's outbox coalesces them
                    writer.send(ChatClient.envelope(texts.get(i), "long-" + i));
                }
                for (String text : texts) {
                    assertEquals(text, reader.next("message").getString("text"), "chat.v1 reader");
                }
                for (String text : texts) {
                    assertEquals(text, plain.nextFrame(), "plain reader");
                }
                plain.send(texts.get(0));
                assertEquals(texts.get(0), plain.nextFrame(), "plain sender's own echo");
                assertEquals(texts.get(0), reader.next("message").getString("text"), "chat.v1 reader of a plain one");
            }
        }
    }

    /** Runs last: it stops this distribution's server. */
    @Test
    @Order(Integer.MAX_VALUE)
    void stoppingTheContainerClosesSessionsWithGoingAway() {
        try (ChatClient client = ChatClient.plain(server)) {
            client.send("ready");
            assertEquals("ready", client.nextFrame());
            server.close();
            server = null;
            assertEquals(1001, client.awaitClose().code(), "clients are told to reconnect elsewhere or later");
        }
    }

    @Test
    void chatV1WelcomeNamesTheSessionsNickname() {
        String name = unique("bo");
        WebSession visitor = new WebSession(server).nickname(name);
        try (ChatClient client = visitor.connectChat(null)) {
            assertEquals("chat.v1", client.subprotocol());
            JsonObject welcome = client.next();
            assertEquals("welcome", welcome.getString("type"), "first envelope: " + welcome);
            assertEquals(name, welcome.getString("you"));
        }
    }
}
