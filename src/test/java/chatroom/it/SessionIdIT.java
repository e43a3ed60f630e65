package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Session fixation: accepting a nickname gives the session a new id and the old id stops working, so an id
 * planted in a visitor's browser never carries their name; with {@code chat.session.hostCookie} the cookie is one
 * that browsers take only from the host itself over HTTPS. Cookies are handled by hand here, as an attacker would.
 */
class SessionIdIT extends ServerSuite {
    private static final Pattern DATA_USER = Pattern.compile("data-user=\"([^\"]*)\"");
    private static final String COOKIE = "JSESSIONID";

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(ChatClient.WAIT)
            .build();

    @Test
    void acceptingANameIssuesANewIdAndTheOldOneStopsWorking() throws Exception {
        String first = unique("first");
        String planted = sessionFrom(claim(server, null, first), COOKIE);
        assertEquals(first, userOf(server, COOKIE, planted));

        String second = unique("second");
        HttpResponse<String> renamed = claim(server, COOKIE + "=" + planted, second);
        assertEquals(200, renamed.statusCode(), renamed.body());
        String renewed = sessionFrom(renamed, COOKIE);
        assertNotEquals(planted, renewed, "a new session id with the accepted name");
        assertEquals(second, userOf(server, COOKIE, renewed));
        assertEquals("", userOf(server, COOKIE, planted), "the old id carries no name any more");
        assertEquals(409, claim(server, null, second).statusCode(), "the name is still held, by the new id");
        assertEquals(200, claim(server, null, first).statusCode(), "the name given up by the rename is free");
    }

    @Test
    void theNameFollowsTheSessionToItsNewId() throws Exception {
        String before = unique("before");
        String id = sessionFrom(claim(server, null, unique("start")), COOKIE);
        id = sessionFrom(claim(server, COOKIE + "=" + id, before), COOKIE);
        String after = unique("after");
        id = sessionFrom(claim(server, COOKIE + "=" + id, after), COOKIE);
        assertEquals(after, userOf(server, COOKIE, id));
        assertEquals(200, claim(server, null, before).statusCode(),
                "renaming under the new id gave back the name the session held under its old one");
    }

    @Test
    void anIdPlantedBeforeTheVictimChoseANameNeverCarriesIt() throws Exception {
        // The attacker gets an id of their own and plants it in the victim's browser; the victim chooses a name.
        String attackers = sessionFrom(claim(server, null, unique("attacker")), COOKIE);
        String victim = unique("victim");
        String victims = sessionFrom(claim(server, COOKIE + "=" + attackers, victim), COOKIE);
        assertEquals(victim, userOf(server, COOKIE, victims));
        assertNotEquals(victim, userOf(server, COOKIE, attackers), "the attacker's id is not the victim's session");
    }

    /** What can be seen over plain HTTP: the cookie's name and attributes; the browser enforces the rest. */
    @Test
    void theHostOnlyCookieIsSecureOnPathRootWithoutDomain() throws Exception {
        try (ChatServer hostCookie = start(Map.of("chat.session.hostCookie", "true"))) {
            String name = unique("host");
            HttpResponse<String> accepted = claim(hostCookie, null, name);
            assertEquals(200, accepted.statusCode(), accepted.body());
            String header = accepted.headers().allValues("Set-Cookie").stream()
                    .filter(value -> value.startsWith("__Host-JSESSIONID=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no __Host- cookie: " + accepted.headers()
                    .allValues("Set-Cookie")));
            String attributes = header.toLowerCase(java.util.Locale.ROOT);
            assertTrue(attributes.matches(".*;\\s*secure(;.*|$)"), header);
            assertTrue(attributes.matches(".*;\\s*path=/(;.*|$)"), header);
            assertTrue(attributes.matches(".*;\\s*httponly(;.*|$)"), header);
            assertTrue(attributes.matches(".*;\\s*samesite=lax(;.*|$)"), header);
            assertFalse(attributes.contains("domain="), header);
            assertEquals(name, userOf(hostCookie, "__Host-JSESSIONID", sessionFrom(accepted, "__Host-JSESSIONID")));
        }
    }

    private HttpResponse<String> claim(ChatServer target, String cookie, String name) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.pageUri().resolve("index"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    private String userOf(ChatServer target, String cookieName, String id) throws IOException, InterruptedException {
        HttpResponse<String> page = send(HttpRequest.newBuilder(target.pageUri())
                .header("Cookie", cookieName + "=" + id).GET());
        Matcher user = DATA_USER.matcher(page.body());
        assertTrue(user.find(), "the page has data-user");
        return user.group(1);
    }

    /** The last value the answer set for this cookie. */
    private static String sessionFrom(HttpResponse<String> response, String cookieName) {
        String id = null;
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith(cookieName + "=")) {
                id = header.substring(cookieName.length() + 1).split(";", 2)[0];
            }
        }
        assertNotNull(id, "a " + cookieName + " cookie in " + response.headers().allValues("Set-Cookie"));
        return id;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
