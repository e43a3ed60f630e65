package chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.store.Retention;
import chatroom.store.StoreSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatSettingsTest {
    @Test
    void defaultsAreThoseOfTheDesign() {
        ChatSettings settings = ChatSettings.defaults();
        assertEquals(1000, settings.historySize());
        assertEquals(8192, settings.maxMessageBytes());
        assertEquals(2000, settings.maxTextLength());
        assertEquals(20, settings.ratePerSecond());
        assertEquals(40, settings.rateBurst());
        assertEquals(16 * 1024 * 1024, settings.outboxMaxBytes());
        assertEquals(10_000, settings.sendTimeoutMillis());
        assertEquals(60_000, settings.closeGraceMillis());
        assertEquals(25_000, settings.pingIntervalMillis());
        assertEquals(60_000, settings.idleTimeoutMillis());
        assertEquals(List.of(), settings.allowedOrigins());
    }

    @Test
    void valuesAreParsedAndBadOnesNamed() {
        Map<String,
                String> values = Map.of("history.size", " 5 ", "origins.allowed",
                "https://a.example, https://b.example");
        ChatSettings settings = ChatSettings.read(values::get);
        assertEquals(5, settings.historySize());
        assertEquals(List.of("https://a.example", "https://b.example"), settings.allowedOrigins());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ChatSettings.read(Map.of("rate.perSecond", "fast")::get));
        assertEquals("chat.rate.perSecond is not a whole number: fast", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChatSettings.read(Map.of("history.size", "0")::get));
    }

    @Test
    void theStoreKeepsTheNewestMillionInItsDefaultPlaceUnlessTold() {
        StoreSettings defaults = ChatSettings.defaults().store();
        assertEquals(true, defaults.enabled());
        assertEquals(null, defaults.dir());
        assertEquals(new Retention(Duration.ZERO, 1_000_000), defaults.retention(),
                "bounded: clients cannot grow it for ever");
        StoreSettings set = ChatSettings.read(Map.of("store.dir", " /var/chat ", "store.keepDays", "30",
                "store.keepMessages", "100000")::get).store();
        assertEquals("/var/chat", set.dir());
        assertEquals(new Retention(Duration.ofDays(30), 100_000), set.retention());
        assertThrows(IllegalArgumentException.class, () -> ChatSettings.read(Map.of("store.keepDays", "-1")::get));
        assertEquals(false, ChatSettings.read(Map.of("store.enabled", " FALSE ")::get).store().enabled());
        assertThrows(IllegalArgumentException.class, () -> ChatSettings.read(Map.of("store.enabled", "no")::get));
    }

    @Test
    void trustedProxiesAreAddressesOrBlocksAndAnythingElseStopsTheStart() {
        ChatSettings settings = ChatSettings.read(Map.of("proxies.trusted", "10.0.0.2, 192.168.0.0/16,::1")::get);
        assertEquals("[10.0.0.2, 192.168.0.0/16, ::1]", settings.trustedProxies().toString());
        assertTrue(settings.trustedProxies().trusts("192.168.40.1"));
        assertFalse(ChatSettings.defaults().trustedProxies().trusts("127.0.0.1"), "nobody is trusted by default");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ChatSettings.read(Map.of("proxies.trusted", "10.0.0.2, nginx")::get));
        assertEquals("chat.proxies.trusted: not an IP address or CIDR block: nginx", bad.getMessage());
    }
}
