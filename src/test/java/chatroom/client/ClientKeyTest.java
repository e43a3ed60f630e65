package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import chatroom.ChatSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientKeyTest {
    private final ClientKey keys = ClientKey.defaults();

    @Test
    void anIpv4ClientIsItsAddress() {
        assertEquals("203.0.113.5", keys.of("203.0.113.5"));
        assertNotEquals(keys.of("203.0.113.5"), keys.of("203.0.113.6"),
                "neighbours behind different NATs are two clients");
    }

    @Test
    void ipv6AddressesInOneSlash64AreOneClient() {
        String key = keys.of("2001:db8:1:2::1");
        assertEquals("2001:db8:1:2:0:0:0:0/64", key);
        assertEquals(key, keys.of("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertEquals(key, keys.of("2001:0db8:0001:0002:abcd:0:0:7"), "any spelling of an address in it");
        assertEquals(key, keys.of("[2001:db8:1:2::99]"), "bracketed as Jetty may report it");
    }

    @Test
    void differentSlash64sAreDifferentClients() {
        assertNotEquals(keys.of("2001:db8:1:2::1"), keys.of("2001:db8:1:3::1"));
        assertNotEquals(keys.of("2001:db8:1:2::1"), keys.of("2001:db9:1:2::1"));
    }

    @Test
    void anIpv4MappedIpv6AddressIsItsIpv4Address() {
        assertEquals("198.51.100.7", keys.of("::ffff:198.51.100.7"));
        assertEquals("198.51.100.7", keys.of("[::ffff:c633:6407]"));
        assertEquals("127.0.0.1", keys.of("::ffff:127.0.0.1"));
    }

    @Test
    void loopbackAndUnknownSpellings() {
        assertEquals("0:0:0:0:0:0:0:0/64", keys.of("::1"), "::1 lies in ::/64");
        assertEquals("0:0:0:0:0:0:0:0/64", keys.of("0:0:0:0:0:0:0:1"));
        assertEquals("unknown", keys.of("unknown"), "not an address: its own key, never a lookup");
        assertNull(keys.of(null));
    }

    @Test
    void thePrefixLengthIsASetting() {
        ClientKey wide = ChatSettings.read(Map.of("clients.ipv6PrefixLength", "48")::get).clientKey();
        assertEquals("2001:db8:1:0:0:0:0:0/48", wide.of("2001:db8:1:2::1"));
        assertEquals(wide.of("2001:db8:1:2::1"), wide.of("2001:db8:1:ffff::1"), "one /48: one client");
        assertNotEquals(wide.of("2001:db8:1::1"), wide.of("2001:db8:2::1"));

        ClientKey odd = new ClientKey(60);
        assertEquals("2001:db8:1:0:0:0:0:0/60", odd.of("2001:db8:1:f::1"), "a length that is not a whole group");
        assertNotEquals(odd.of("2001:db8:1:f::1"), odd.of("2001:db8:1:10::1"));

        ClientKey each = new ClientKey(128);
        assertNotEquals(each.of("2001:db8::1"), each.of("2001:db8::2"), "128: every address alone");
        assertEquals("2001:db8:0:0:0:0:0:1", each.of("2001:db8::1"));

        assertEquals(64, ChatSettings.defaults().clientKey().ipv6PrefixLength());
        assertThrows(IllegalArgumentException.class,
                () -> ChatSettings.read(Map.of("clients.ipv6PrefixLength", "129")::get));
        assertThrows(IllegalArgumentException.class,
                () -> ChatSettings.read(Map.of("clients.ipv6PrefixLength", "0")::get));
    }

    @Test
    void aRequestCarriesTheKeyOfTheClientAProxyReports() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("127.0.0.1"), new ClientKey(64));
        Map<String, List<String>> headers = Map.of("X-Forwarded-For", List.of("2001:db8:5:6::42"));
        RequestSource source = proxies.resolve("127.0.0.1", "http", name -> headers.getOrDefault(name, List.of()));
        assertEquals("2001:db8:5:6:0:0:0:42", source.clientAddress());
        assertEquals("2001:db8:5:6:0:0:0:0/64", source.client());
        RequestSource direct = proxies.resolve("2001:db8:7:8::1", "http", name -> List.of());
        assertEquals("2001:db8:7:8:0:0:0:0/64", direct.client(), "an untrusted peer is keyed the same way");
    }
}
