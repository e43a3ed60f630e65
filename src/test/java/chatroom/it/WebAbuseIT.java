package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.Pace;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The web layer, as an attacker from one machine would try it: what a visit costs,
 * how fast one address may claim names, look-alike names, a name outliving its session while its owner is
 * connected, what errors reveal, and output that grows faster than input. Each test failed before the fix.
 */
class WebAbuseIT extends ServerSuite {
    private static final Pattern HISTORY = Pattern.compile("<script type=\"application/json\" "
            + "id=\"history\">(.*?)</script>", Pattern.DOTALL);
    private static final Pattern DATA_USER = Pattern.compile("data-user=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(ChatClient.WAIT)
            .build();

    // Visiting costs nothing; claiming names is limited per address

    @Test
    void visitingThePageSetsNoCookie() {
        for (int i = 0; i < 200; i++) {
            for (String path : List.of("", "index", "?nicknameError=taken")) {
                HttpResponse<String> page = get(path, Map.of());
                assertEquals(200, page.statusCode(), path);
                assertEquals(List.of(), page.headers().allValues("Set-Cookie"), "GET /" + path + " #" + i
                        + " made no session");
            }
        }
    }

    @Test
    void theNoScriptFormStillWorksAndARefusalCreatesNoSession() {
        HttpResponse<String> refused = post("index", "user=guest-7", "text/html");
        assertEquals(303, refused.statusCode());
        String location = refused.headers().firstValue("Location").orElseThrow();
        assertTrue(location.endsWith("/?nicknameError=reserved"), location);
        assertEquals(List.of(), refused.headers().allValues("Set-Cookie"), "a refused claim creates no session");
        HttpResponse<String> shown = get(location.substring(location.indexOf('/') + 1), Map.of());
        assertTrue(shown.body().contains("are kept for guests."), "the page shows the refusal");

        String name = unique("noscript");
        WebSession visitor = new WebSession(server);
        HttpResponse<String> accepted = visitor.postNickname(name, null, "text/html");
        assertEquals(303, accepted.statusCode());
        assertTrue(accepted.headers().firstValue("Location").orElseThrow().endsWith("/"),
                accepted.headers().toString());
        assertFalse(accepted.headers().allValues("Set-Cookie").isEmpty(), "a claimed name gets its session");
        assertEquals(name, dataUser(visitor.getPage().body()));

        // A link written by someone else can only show one of the server's own messages.
        HttpResponse<String> forged = get("?nicknameError=%3Cb%3Eyou%20have%20been%20banned%3C%2Fb%3E", Map.of());
        assertFalse(forged.body().contains("banned"), "no text from the URL on the page");
    }

    @Test
    void aClaimFloodFromOneAddressGets429AfterItsBudget() {
        try (ChatServer limited = start(Map.of("chat.nickname.claimBurst", "5",
                "chat.nickname.claimsPerMinute", "1"))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, new WebSession(limited).postNickname(unique("claim")).statusCode(), "claim " + i
                        + " is within the burst");
            }
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> refused = new WebSession(limited).postNickname(unique("squat"));
                assertJsonError(refused, 429, "rate_limited");
                assertEquals("60", refused.headers().firstValue("Retry-After").orElse(null), "one claim a minute");
                assertEquals(List.of(), refused.headers().allValues("Set-Cookie"),
                        "a refused claim creates no session");
            }
            HttpResponse<String> form = new WebSession(limited).postNickname(unique("form"), null, "text/html");
            assertEquals(303, form.statusCode());
            assertTrue(form.headers().firstValue("Location").orElseThrow().endsWith("?nicknameError=rate_limited"));
        }
    }

    // A name means one person

    @Test
    void lookAlikesOfAHeldNameAreTaken() {
        String alice = "alice" + letters();
        new WebSession(server).nickname(alice);
        for (String lookAlike : List.of(
                "\u0410" + alice.substring(1),                // Cyrillic А
                fullwidth(alice),
                alice.toUpperCase(Locale.ROOT),
                alice.replace('l', 'I'),                      // capital I for l
                " " + alice + "\u00A0")) {                    // blanks around, a no-break one among them
            assertJsonError(new WebSession(server).postNickname(lookAlike), 409, "nickname_taken");
        }
        String jose = "josé" + letters();
        new WebSession(server).nickname(Normalizer.normalize(jose, Normalizer.Form.NFC));
        assertJsonError(new WebSession(server).postNickname(Normalizer.normalize(jose, Normalizer.Form.NFD)), 409,
                "nickname_taken");
        String zoe = "zoë" + letters();
        new WebSession(server).nickname(Normalizer.normalize(zoe, Normalizer.Form.NFD));
        assertJsonError(new WebSession(server).postNickname(Normalizer.normalize(zoe, Normalizer.Form.NFC)), 409,
                "nickname_taken");
    }

    @Test
    void invisibleBlankAndGuestLookAlikeNamesAreRefused() {
        String name = "bob" + letters();
        for (String refused
                : List.of(name + "\u200B", "\u200D" + name, "\u202E" + name, "\uFEFF" + name, name.charAt(0) + "\u00AD"
                + name.substring(1),
                "\u00A0", "\u3164", "\u2800", "\u3164\u3164",
                "guest\u200B-1", "guest\u00AD-1", "guest\u20101", "guest\u20111", "gu\u0435st-1", "ｇｕｅｓｔ-1")) {
            assertJsonError(new WebSession(server).postNickname(refused), 400, "invalid_nickname");
        }
        assertEquals(200, new WebSession(server).postNickname(name).statusCode(), "none of them took the plain name");
    }

    // A name stays held while its holder is connected

    @Test
    void aNameStaysHeldWhileItsConnectionIsOpenEvenAfterItsSessionExpired() throws Exception {
        try (ChatServer shortSessions = start(Map.of("chat.session.timeoutSeconds", "1"))) {
            String name = unique("held");
            assertEquals(200, firstPage(shortSessions).statusCode());
            WebSession owner = new WebSession(shortSessions).nickname(name);
            try (ChatClient socket = owner.connectChat(null)) {
                assertEquals(name, socket.next().getString("you"));
                // What is awaited is a timeout, so the wait is that time: well past the one-second session.
                Pace.until(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500));
                assertEquals("", dataUser(owner.getPage().body()), "the owner's HttpSession has expired");
                assertJsonError(new WebSession(shortSessions).postNickname(name), 409, "nickname_taken");
                socket.send(ChatClient.envelope("still me", "c-1"));
                assertEquals(name, socket.next("message").getString("from"));
            }
            // The server sees the close a moment after the client sends it: poll, bounded.
            int status = await("the name is no longer held").atMost(ChatClient.WAIT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> new WebSession(shortSessions).postNickname(name).statusCode(),
                    answer -> answer != 409);
            assertEquals(200, status, "the last connection closed, the session is gone: the name is free");
        }
    }

    // Errors say nothing about the server

    @Test
    void undecodableFormDataGetsTheJsonError() {
        assertJsonError(post("index", "user=a%FFb", "application/json"), 400, "invalid_nickname");
        HttpResponse<String> form = post("index", "user=a%FFb", "text/html");
        assertEquals(303, form.statusCode());
        assertTrue(form.headers().firstValue("Location").orElseThrow().endsWith("?nicknameError=unreadable"));
    }

    @Test
    void errorsShowNoContainerPageVersionOrStackTrace() {
        assertJsonError(get("no/such/page", Map.of("Accept", "text/html")), 404, "not_found");
        assertJsonError(get("WEB-INF/web.xml", Map.of()), 404, "not_found");
        assertJsonError(post("health", "x=1", "*/*"), 405, "method_not_allowed");
        // Jetty gives no error page to methods other than GET, POST and HEAD (ErrorHandler.errorPageForMethod):
        // its answer is an empty body, which says nothing either. Tomcat uses the error page.
        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(server.pageUri().resolve("index")).PUT(HttpRequest.BodyPublishers.ofString("x")),
                HttpRequest.newBuilder(server.pageUri().resolve("health")).DELETE())) {
            HttpResponse<String> refused = send(request);
            if (refused.body().isEmpty()) {
                assertEquals(405, refused.statusCode());
                assertNoServerDetails(refused);
            } else {
                assertJsonError(refused, 405, "method_not_allowed");
            }
        }
    }

    @Test
    void staticFoldersAreNotListed() {
        for (String folder : List.of("static/", "static")) {
            HttpResponse<String> response = get(folder, Map.of());
            assertNotEquals(200, response.statusCode(), folder + ": " + response.body());
            assertFalse(response.body().contains("chat.js"), response.body());
            if (response.statusCode() >= 400) {
                assertTrue(response.body().startsWith("{\"error\":"), response.body());
                assertNoServerDetails(response);
            }
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteLax() {
        HttpResponse<String> claimed = new WebSession(server).postNickname(unique("cookie"));
        String cookie = claimed.headers().firstValue("Set-Cookie").orElseThrow();
        String attributes = cookie.toLowerCase(Locale.ROOT).replace(" ", "");
        assertTrue(attributes.contains(";samesite=lax"), cookie);
        assertTrue(attributes.contains(";httponly"), cookie);
        assertFalse(attributes.contains(";secure"), "plain HTTP: a Secure cookie would never come back: " + cookie);
    }

    @Test
    void thePageForbidsFramingByOtherSitesAndSniffing() {
        HttpResponse<String> page = get("", Map.of());
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        for (String directive
                : List.of("frame-ancestors 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'")) {
            assertTrue(policy.contains(directive), policy);
        }
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertNoServerDetails(page);
        assertFalse(page.body().contains("<script>"), "no inline script for the policy to forbid");
        assertFalse(page.body().contains("<style"), "no inline style either");
    }

    // Output proportional to input

    @Test
    void htmlCharactersCostOneByteOnTheSocketAndThePageEscapesThemOnlyInItsScriptElement() {
        String text = "<<<<" + letters();
        try (ChatClient sender = WebSession.joined(server, unique("lt"),
                null); ChatClient plain = ChatClient.plain(server)) {
            // The handshake completes before the container runs the endpoint's open: the plain client's own echo
            // proves it is a member before the message it must receive is sent.
            String ready = unique("ready");
            plain.send(ready);
            assertEquals(ready, plain.nextFrame());
            sender.send(ChatClient.envelope(text, "lt-1"));
            String frame;
            do {
                frame = sender.nextFrame();
            } while (!frame.contains("\"cid\":\"lt-1\""));
            assertTrue(frame.contains("\"text\":\"" + text + "\""), "sent as it is: " + frame);
            assertEquals(text, plain.nextFrame());
        }
        String page = get("", Map.of()).body();
        Matcher history = HISTORY.matcher(page);
        assertTrue(history.find(), "the page embeds its history");
        String embedded = history.group(1);
        assertFalse(embedded.contains("<") || embedded.contains(">") || embedded.contains("&"), embedded);
        assertTrue(embedded.contains("\\u003c\\u003c\\u003c\\u003c" + text.substring(4)),
                "escaped for the script element");
        try (JsonReader reader = Json.createReader(new StringReader(embedded))) {
            JsonArray messages = reader.readArray();
            assertEquals(text, messages.getJsonObject(messages.size() - 1).getString("text"),
                    "and still the same JSON");
        }
    }

    @Test
    void thePageIsGzippedForClientsThatAcceptIt() throws IOException {
        HttpResponse<byte[]> plain = getBytes("", Map.of());
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        HttpResponse<byte[]> compressed = getBytes("", Map.of("Accept-Encoding", "gzip, deflate"));
        assertEquals(200, compressed.statusCode());
        assertEquals("gzip", compressed.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(compressed.headers().allValues("Vary").stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("accept-encoding")));
        String html;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.body()))) {
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"), html);
        assertTrue(compressed.body().length < plain.body().length, compressed.body().length + " < "
                + plain.body().length);
        assertTrue(getBytes("", Map.of("Accept-Encoding", "gzip;q=0")).headers()
                .firstValue("Content-Encoding").isEmpty());
        System.out.printf("[web-abuse] %s page: %d bytes, %d gzipped%n", server.containerName(), plain.body().length,
                compressed.body().length);
    }

    @Test
    void aRoomFullOfAngleBracketsCostsItsSizeOnAResumeAndLittleOnThePage() throws IOException {
        int history = 1000;
        int length = 2000;
        String text = "<".repeat(length);
        try (ChatServer room = start(ServerSuite.RELAXED)) {
            try (ChatClient sender = WebSession.joined(room, unique("lt"), null)) {
                for (int i = 0; i < history; i++) {
                    sender.send(ChatClient.envelope(text, "lt-" + i));
                }
                // The sender's own copies come back in order: the last one means every one is in the history.
                sender.next(envelope -> "message".equals(envelope.getString("type")) && ("lt-" + (history - 1))
                        .equals(envelope.getString("cid", null)));
            }
            long resumeBytes = 0;
            try (ChatClient resume = ChatClient.connect(room.socketUri("since=0"), ChatClient.options().chatV1())) {
                int messages = 0;
                while (messages < history) {
                    String frame = resume.nextFrame();
                    resumeBytes += frame.getBytes(StandardCharsets.UTF_8).length;
                    messages += (int) ChatClient.lines(frame).stream()
                            .filter(line -> line.contains("\"type\":\"message\"")).count();
                }
            }
            long pageBytes = firstPage(room).body().length;
            long gzippedBytes = send(HttpRequest.newBuilder(room.pageUri()).header("Accept-Encoding", "gzip").GET(),
                    HttpResponse.BodyHandlers.ofByteArray()).body().length;
            System.out.printf("[web-abuse] %s %d messages of %d '<': since=0 resume %d bytes, page %d bytes, %d "
                    + "gzipped%n",
                    room.containerName(), history, length, resumeBytes, pageBytes, gzippedBytes);
            // Each message is its text plus an envelope of ~100 bytes (it was 6 x the text before).
            assertTrue(resumeBytes < history * (length + 200L), resumeBytes + " bytes");
            // The page escapes its 100 embedded messages (6 x), and gzip takes that back.
            assertTrue(gzippedBytes < pageBytes / 20, gzippedBytes + " of " + pageBytes);
        }
    }

    // Helpers

    static void assertJsonError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonObject error;
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            error = reader.readObject();
        }
        assertEquals(code, error.getString("error"), response.body());
        assertFalse(error.getString("message").isBlank());
        assertNoServerDetails(response);
    }

    /** No container name, version or stack trace anywhere in the answer. */
    static void assertNoServerDetails(HttpResponse<String> response) {
        String everything = (response.headers().map() + " " + response.body()).toLowerCase(Locale.ROOT);
        for (String leak : List.of("tomcat", "jetty", "exception", "at chatroom.", "servlet")) {
            assertFalse(everything.contains(leak), leak + " in " + everything);
        }
    }

    private static String dataUser(String page) {
        Matcher user = DATA_USER.matcher(page);
        assertTrue(user.find(), "the page has data-user");
        return user.group(1);
    }

    /** Letters only, so case and width variants change every character. */
    private static String letters() {
        StringBuilder letters = new StringBuilder();
        for (char c : unique("").substring(1).toCharArray()) {
            letters.append(Character.isDigit(c) ? (char) ('g' + c - '0') : c);
        }
        return letters.toString();
    }

    private static String fullwidth(String ascii) {
        StringBuilder wide = new StringBuilder();
        ascii.chars().forEach(c -> wide.append((char) (c + 0xFEE0)));
        return wide.toString();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.pageUri().resolve(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    private HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.pageUri().resolve(path)).GET();
        headers.forEach(request::header);
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * The first page of a fresh server, uncompressed. It compiles the JSP, which on a machine loaded by parallel
     * builds has taken over ten seconds: this request alone gets a minute, so later ones keep the usual bound.
     */
    private HttpResponse<byte[]> firstPage(ChatServer fresh) {
        return send(HttpRequest.newBuilder(fresh.pageUri()).timeout(Duration.ofMinutes(1)).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String path, String body, String accept) {
        return send(HttpRequest.newBuilder(server.pageUri().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            HttpRequest built = request.build();
            return http.send(built.timeout().isPresent() ? built : request.timeout(ChatClient.WAIT).build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
