package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.ChatSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static final String PROXY = "10.0.0.2";
    private final TrustedProxies proxies = TrustedProxies.parse(List.of(PROXY, "192.168.7.0/24"));

    /** Request headers as a container gives them: names ignore case, a header may repeat. */
    private static final class Headers {
        private final Map<String, List<String>> values = new HashMap<>();

        Headers add(String name, String value) {
            values.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
            return this;
        }

        List<String> get(String name) {
            return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private RequestSource resolve(String peer, Headers headers) {
        return proxies.resolve(peer, "http", headers::get);
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        Headers forged = new Headers().add("Host", "chat.example:8080").add("X-Forwarded-For", "198.51.100.7")
                .add("X-Forwarded-Host", "evil.example").add("X-Forwarded-Proto", "https");
        assertEquals(new RequestSource("203.0.113.5", "203.0.113.5", "chat.example:8080", "http"),
                resolve("203.0.113.5", forged));
    }

    @Test
    void nobodyIsTrustedByDefault() {
        Headers forwarded = new Headers().add("Host", "a:1").add("X-Forwarded-For", "198.51.100.7")
                .add("X-Forwarded-Host", "b:2");
        assertEquals(new RequestSource(PROXY, PROXY, "a:1", "http"), TrustedProxies.none()
                .resolve(PROXY, "http", forwarded::get));
        assertEquals(new RequestSource(PROXY, PROXY, "a:1", "http"), ChatSettings.defaults().trustedProxies()
                .resolve(PROXY, "http", forwarded::get));
    }

    @Test
    void aTrustedProxyReportsTheClientHostAndScheme() {
        Headers headers = new Headers().add("Host", "node-1:8080").add("X-Forwarded-For", "198.51.100.7")
                .add("X-Forwarded-Host", "chat.example:8443").add("X-Forwarded-Proto", "HTTPS");
        assertEquals(new RequestSource("198.51.100.7", "198.51.100.7", "chat.example:8443", "https"),
                resolve(PROXY, headers));
    }

    @Test
    void withoutForwardedHostTheHostHeaderStands() {
        Headers headers = new Headers().add("Host", "chat.example:8080").add("X-Forwarded-For", "198.51.100.7");
        assertEquals(new RequestSource("198.51.100.7", "198.51.100.7", "chat.example:8080", "http"),
                resolve(PROXY, headers));
    }

    @Test
    void whatAClientWroteBeforeTheProxyAppendedIsNeverBelieved() {
        // nginx's $proxy_add_x_forwarded_for appends the real peer to whatever the client sent.
        Headers headers = new Headers().add("X-Forwarded-For", "1.1.1.1, 10.0.0.2, 198.51.100.7");
        assertEquals("198.51.100.7", resolve(PROXY, headers).clientAddress());
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedToTheFirstUntrustedHop() {
        Headers headers = new Headers().add("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 192.168.7.20")
                .add("X-Forwarded-For", "192.168.7.30");
        assertEquals("198.51.100.7", resolve(PROXY, headers).clientAddress());
        Headers allTrusted = new Headers().add("X-Forwarded-For", "192.168.7.1, 192.168.7.2");
        assertEquals("192.168.7.1", resolve(PROXY, allTrusted).clientAddress());
    }

    @Test
    void anEntryThatIsNoAddressStopsTheWalkAtTheLastHopThatWasRead() {
        assertEquals("192.168.7.2",
                resolve(PROXY, new Headers().add("X-Forwarded-For", "198.51.100.7, unknown, 192.168.7.2"))
                .clientAddress());
        assertEquals(PROXY, resolve(PROXY, new Headers().add("X-Forwarded-For", "evil.example")).clientAddress());
        assertEquals(PROXY, resolve(PROXY, new Headers().add("X-Forwarded-For", " , ")).clientAddress());
        assertEquals(PROXY, resolve(PROXY, new Headers()).clientAddress());
    }

    @Test
    void addressesComeBackInOneSpelling() {
        assertEquals("2001:db8:0:0:0:0:0:1", resolve(PROXY, new Headers().add("X-Forwarded-For", "[2001:db8::1]"))
                .clientAddress());
        assertEquals("198.51.100.7", resolve(PROXY, new Headers().add("X-Forwarded-For", "::ffff:198.51.100.7"))
                .clientAddress());
    }

    @Test
    void theNearestProxysHostAndSchemeWinAndNonsenseIsIgnored() {
        Headers listed = new Headers().add("Host", "node:8080").add("X-Forwarded-Host", "evil.example, chat.example:81")
                .add("X-Forwarded-Proto", "https, http");
        assertEquals(new RequestSource(PROXY, PROXY, "chat.example:81", "http"), resolve(PROXY, listed));
        Headers nonsense = new Headers().add("Host", "node:8080").add("X-Forwarded-Host", "a b/c")
                .add("X-Forwarded-Proto", "gopher");
        assertEquals(new RequestSource(PROXY, PROXY, "node:8080", "http"), resolve(PROXY, nonsense));
    }

    @Test
    void trustIsByAddressLiteralOnly() {
        assertTrue(proxies.trusts("192.168.7.255"));
        assertTrue(proxies.trusts("[10.0.0.2]"));
        assertFalse(proxies.trusts("192.168.8.1"));
        assertFalse(proxies.trusts("localhost"));
        assertFalse(proxies.trusts(null));
    }
}
