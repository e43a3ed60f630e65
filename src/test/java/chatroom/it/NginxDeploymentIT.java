package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import chatroom.testing.Browser;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatPage;
import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import chatroom.testing.EmbeddedTomcat;
import chatroom.testing.LoopbackVisitor;
import chatroom.testing.NginxServer;
import chatroom.testing.RawWebSocket;
import chatroom.testing.RedisServer;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.SocketTimeoutException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The deployment the README documents, run as written: Debian's nginx with the README's own {@code nginx} block (see
 * {@link NginxServer}) on a free loopback port that is not 80, in front of two nodes (embedded Jetty and embedded
 * Tomcat, both at /chatroom like a deployed chatroom.war) sharing one real redis-server, each node trusting the proxy
 * as the README says. Visitors talk to nginx only. Visitors from different loopback subnets are how the test gets
 * visitors onto both nodes: ip_hash routes by the client's address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxDeploymentIT {
    private static final String CONTEXT = "/chatroom";
    private static final HttpClient DIRECT = HttpClient.newBuilder().connectTimeout(ChatClient.WAIT).build();
    private RedisServer redis;
    private ChatServer nodeA;
    private ChatServer nodeB;
    private NginxServer proxy;
    /** A loopback subnet whose visitors ip_hash sends to each node. */
    private final Map<ChatServer, Integer> subnetOf = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        NginxServer.assumeInstalled();
        redis = RedisServer.start();
        Map<String, String> params = new HashMap<>(ServerSuite.RELAXED);
        params.put("chat.redis.url", redis.url());
        params.put("chat.proxies.trusted", "127.0.0.1");
        nodeA = EmbeddedJetty.start(params, 0, CONTEXT);
        nodeB = EmbeddedTomcat.start(params, 0, CONTEXT);
        proxy = NginxServer.start(NginxServer.readmeBlock(), List.of(nodeA, nodeB));
        findSubnetsOfBothNodes();
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {proxy, nodeA, nodeB, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** ip_hash is a fixed function of the address: try subnets until each node has one (bounded; 2^-31 to fail). */
    private void findSubnetsOfBothNodes() {
        for (int subnet = 1; subnet <= 32 && subnetOf.size() < 2; subnet++) {
            String name = ServerSuite.unique("probe");
            LoopbackVisitor visitor = LoopbackVisitor.fromSubnet(subnet);
            assertEquals(200, visitor.postNickname(proxy, name, proxy.origin()).status(), "nickname through nginx");
            for (ChatServer node : List.of(nodeA, nodeB)) {
                if (holdsSession(node, visitor, name)) {
                    subnetOf.putIfAbsent(node, subnet);
                }
            }
        }
        assertEquals(2, subnetOf.size(), "ip_hash sent 32 loopback subnets to one node only: " + subnetOf + "\n"
                + proxy.log());
    }

    /**
     * Whether {@code node} holds the visitor's session (its page names the visitor), asked directly with the
     * visitor's cookie but outside its cookie jar: a node that does not know the session answers with a new one.
     */
    private static boolean holdsSession(ChatServer node, LoopbackVisitor visitor, String name) {
        try {
            HttpResponse<String> page = DIRECT.send(HttpRequest.newBuilder(node.pageUri())
                    .header("Cookie", visitor.cookieHeader())
                    .timeout(ChatClient.WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            return names(page.body(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The page is rendered for this user (index.jsp puts the session's nickname on the body). */
    private static boolean names(String page, String name) {
        return page.contains("data-user=\"" + name + "\"");
    }

    /** A visitor that ip_hash routes to {@code node}, with a nickname taken through nginx. */
    private LoopbackVisitor visitorOn(ChatServer node, String name) {
        LoopbackVisitor visitor = LoopbackVisitor.fromSubnet(subnetOf.get(node));
        LoopbackVisitor.Response posted = visitor.postNickname(proxy, name, proxy.origin());
        assertEquals(200, posted.status(), posted.body());
        assertTrue(holdsSession(node, visitor, name), name + "'s session is on " + node.containerName());
        return visitor;
    }

    @Test
    void thePageTheNicknameAndThePagesSocketWorkThroughNginxOnAPortOtherThan80() {
        assertNotEquals(80, proxy.port());
        String name = ServerSuite.unique("via");
        WebSession visitor = new WebSession(proxy);
        HttpResponse<String> page = visitor.getPage();
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("static/chat.js"), "the page, through nginx");
        HttpResponse<String> claimed = visitor.postNickname(name, proxy.origin(), "application/json");
        assertEquals(200, claimed.statusCode(), "the page's own Origin " + proxy.origin() + ": " + claimed.body());
        // The socket as the page opens it: its Origin and its session cookie. Refused with 403 while the README
        // forwarded nginx's $host, which drops the port.
        try (ChatClient socket = ChatClient.connect(proxy.socketUri(null),
                ChatClient.options().chatV1().origin(proxy.origin()).cookie(visitor.cookieHeader()))) {
            JsonObject welcome = socket.next();
            assertEquals("welcome", welcome.getString("type"));
            assertEquals(name, welcome.getString("you"),
                    "the socket reached the node that holds the visitor's session");
        }
    }

    @Test
    void foreignOriginsAreStillRefusedThroughNginx() {
        WebSession visitor = new WebSession(proxy);
        visitor.getPage();
        String nodeOwnOrigin = "http://127.0.0.1:" + nodeA.port();
        for (String origin : List.of("http://evil.example", nodeOwnOrigin, "http://127.0.0.1", "null")) {
            HttpResponse<String> post = visitor.postNickname(ServerSuite.unique("csrf"), origin, "application/json");
            assertEquals(403, post.statusCode(), origin + ": " + post.body());
            ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class,
                    () -> ChatClient.connect(
                    proxy.socketUri(null), ChatClient.options().chatV1().origin(origin)
                    .cookie(visitor.cookieHeader())));
            assertEquals(403, refused.status(), origin + ": " + refused);
        }
    }

    /**
     * The nodes trust 127.0.0.1 (nginx's address here) and nothing else of the loopback. A forged X-Forwarded-Host
     * is replaced by nginx, ignored from an untrusted peer, and believed only from the trusted address: the last
     * case shows the header is really read, so the first two are not passing for want of looking.
     */
    @Test
    void forwardedHeadersCountOnlyFromTheTrustedProxy() throws IOException {
        String evil = "http://evil.example";
        String forged = "X-Forwarded-Host: evil.example";
        LoopbackVisitor throughNginx = LoopbackVisitor.fromSubnet(subnetOf.get(nodeA));
        assertEquals(403, throughNginx.postNickname(proxy, ServerSuite.unique("forged"), evil, forged).status());
        LoopbackVisitor untrusted = LoopbackVisitor.fromSubnet(200);
        LoopbackVisitor trusted = new LoopbackVisitor(InetAddress.getByName("127.0.0.1"));
        for (ChatServer node : List.of(nodeA, nodeB)) {
            String where = node.containerName();
            assertEquals(403, untrusted.postNickname(node, ServerSuite.unique("forged"), evil, forged).status(), where);
            RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                    () -> untrusted.connectChat(node, evil, forged).close());
            assertEquals(403, refused.status(), where);
            assertEquals(200, trusted.postNickname(node, ServerSuite.unique("proxied"), evil, forged).status(), where);
            try (RawWebSocket accepted = trusted.connectChat(node, evil, forged)) {
                assertEquals("welcome", next(accepted, type("welcome"), where + " welcome").getString("type"));
            }
        }
    }

    @Test
    void ipHashKeepsEachVisitorOnOneNodeAndMessagesCrossBetweenThem() throws IOException {
        String annName = ServerSuite.unique("ann");
        String benName = ServerSuite.unique("ben");
        LoopbackVisitor ann = visitorOn(nodeA, annName);
        LoopbackVisitor ben = visitorOn(nodeB, benName);
        for (int i = 0; i < 3; i++) {
            assertTrue(pageThroughNginxNames(ann, annName), "ann's page request " + i + " reached her node");
            assertTrue(pageThroughNginxNames(ben, benName), "ben's page request " + i + " reached his node");
        }
        try (RawWebSocket annSocket = ann.connectChat(proxy, proxy.origin());
             RawWebSocket benSocket = ben.connectChat(proxy, proxy.origin())) {
            assertEquals(annName, next(annSocket, type("welcome"), "ann's welcome").getString("you"));
            assertEquals(benName, next(benSocket, type("welcome"), "ben's welcome").getString("you"));
            annSocket.sendText(ChatClient.envelope("hello from Jetty", "c-" + annName));
            JsonObject atBen = next(benSocket, message("hello from Jetty"), "ann's message at ben");
            assertEquals(annName, atBen.getString("from"));
            benSocket.sendText(ChatClient.envelope("hello from Tomcat", "c-" + benName));
            JsonObject atAnn = next(annSocket, message("hello from Tomcat"), "ben's message at ann");
            assertEquals(benName, atAnn.getString("from"));
            assertTrue(atAnn.getJsonNumber("id").longValue() > atBen.getJsonNumber("id").longValue(),
                    "one room, one order of ids");
        }
    }

    /** Runs the page a visitor uses, in Chromium, against nginx: exactly what users do. */
    @Test
    void thePageInChromiumChatsThroughNginxWithVisitorsOnBothNodes() throws IOException {
        Browser.requireInstalled();
        String annName = ServerSuite.unique("ann");
        String benName = ServerSuite.unique("ben");
        String pageName = ServerSuite.unique("page");
        LoopbackVisitor ann = visitorOn(nodeA, annName);
        LoopbackVisitor ben = visitorOn(nodeB, benName);
        try (Browser browser = Browser.open();
             RawWebSocket annSocket = ann.connectChat(proxy, proxy.origin());
             RawWebSocket benSocket = ben.connectChat(proxy, proxy.origin())) {
            next(annSocket, type("welcome"), "ann's welcome");
            next(benSocket, type("welcome"), "ben's welcome");
            ChatPage page = ChatPage.openAsNewVisitor(browser, proxy).join(pageName);
            annSocket.sendText(ChatClient.envelope("ann on Jetty to the page", "c-" + annName));
            benSocket.sendText(ChatClient.envelope("ben on Tomcat to the page", "c-" + benName));
            page.awaitMessage("ann on Jetty to the page");
            page.awaitMessage("ben on Tomcat to the page");
            page.typeAndPressEnter("the page to both nodes");
            assertEquals(pageName, next(annSocket, message("the page to both nodes"), "the page's message at ann")
                    .getString("from"));
            assertEquals(pageName, next(benSocket, message("the page to both nodes"), "the page's message at ben")
                    .getString("from"));
            assertEquals(List.of(), browser.consoleErrors(), "no errors in the page's console");
        }
    }

    /**
     * The line the README had: nginx's {@code $host} drops the port, so the browser's Origin names another site and
     * the socket and the nickname are refused. The server must not guess the port; the configuration is the fix.
     */
    @Test
    void aProxyThatDropsThePortGetsThePageRefused() {
        String current = NginxServer.readmeBlock();
        String old = current.replaceFirst("proxy_set_header Host \\$http_host;", "proxy_set_header Host \\$host;")
                .replaceFirst("(?m)^\\s*proxy_set_header X-Forwarded-Host[^\\n]*\\n", "");
        assertNotEquals(current, old, "the README block forwards Host and X-Forwarded-Host as the test expects");
        assertFalse(old.contains("$http_host"), old);
        try (NginxServer dropsPort = NginxServer.start(old, List.of(nodeA, nodeB))) {
            WebSession visitor = new WebSession(dropsPort);
            assertEquals(200, visitor.getPage().statusCode());
            assertEquals(403, visitor.postNickname(ServerSuite.unique("lost"), dropsPort.origin(), "application/json")
                    .statusCode());
            ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class,
                    () -> ChatClient.connect(
                    dropsPort.socketUri(null), ChatClient.options().chatV1().origin(dropsPort.origin())
                    .cookie(visitor.cookieHeader())));
            assertEquals(403, refused.status());
        }
    }

    /** A page request through nginx that reaches the node holding the visitor's session. */
    private boolean pageThroughNginxNames(LoopbackVisitor visitor, String name) {
        LoopbackVisitor.Response page = visitor.getPage(proxy);
        assertEquals(200, page.status(), page.head());
        return names(page.body(), name);
    }

    private static Predicate<JsonObject> type(String type) {
        return envelope -> type.equals(envelope.getString("type"));
    }

    private static Predicate<JsonObject> message(String text) {
        return envelope -> "message".equals(envelope.getString("type")) && text.equals(envelope.getString("text"));
    }

    /** The next chat.v1 envelope on a raw socket that matches, skipping others and pings; bounded by WAIT. */
    private static JsonObject next(RawWebSocket socket, Predicate<JsonObject> wanted, String what) throws IOException {
        long deadline = System.nanoTime() + ChatClient.WAIT.toNanos();
        while (true) {
            RawWebSocket.Frame frame;
            try {
                frame = socket.read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + what + " within " + ChatClient.WAIT, e);
            }
            assertNotNull(frame, "connection ended before " + what);
            if (frame.opcode() == RawWebSocket.Frame.CLOSE) {
                fail("closed (" + frame + ") before " + what);
            }
            if (frame.opcode() == RawWebSocket.Frame.TEXT) {
                for (String line : new String(frame.payload(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        try (JsonReader reader = Json.createReader(new StringReader(line))) {
                            JsonObject envelope = reader.readObject();
                            if (wanted.test(envelope)) {
                                return envelope;
                            }
                        }
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + ChatClient.WAIT);
            }
        }
    }
}
