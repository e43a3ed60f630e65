package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {
    private static InetAddress ip(String literal) {
        InetAddress address = AddressRange.literal(literal);
        assertTrue(address != null, literal + " is a literal");
        return address;
    }

    @Test
    void aBlockContainsExactlyTheAddressesUnderItsPrefix() {
        AddressRange block = AddressRange.parse("10.1.2.0/23");
        assertTrue(block.contains(ip("10.1.2.0")));
        assertTrue(block.contains(ip("10.1.3.255")));
        assertFalse(block.contains(ip("10.1.4.0")));
        assertFalse(block.contains(ip("10.1.1.255")));
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(AddressRange.parse("10.9.9.9/8").contains(ip("10.0.0.1")), "bits past the prefix are ignored");
    }

    @Test
    void aSingleAddressContainsOnlyItself() {
        AddressRange one = AddressRange.parse(" 127.0.0.1 ");
        assertTrue(one.contains(ip("127.0.0.1")));
        assertFalse(one.contains(ip("127.0.0.2")));
    }

    @Test
    void ipv6BlocksMatchIpv6AndNeverIpv4() {
        AddressRange block = AddressRange.parse("fd00:abcd::/32");
        assertTrue(block.contains(ip("fd00:abcd:1::7")));
        assertTrue(block.contains(ip("[fd00:abcd::1]")));
        assertFalse(block.contains(ip("fd00:abce::1")));
        assertFalse(AddressRange.parse("::/0").contains(ip("10.0.0.1")));
        assertTrue(AddressRange.parse("::1").contains(ip("0:0:0:0:0:0:0:1")));
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Address() {
        assertEquals("192.0.2.1", ip("::ffff:192.0.2.1").getHostAddress());
        assertTrue(AddressRange.parse("192.0.2.0/24").contains(ip("::ffff:192.0.2.1")));
    }

    @Test
    void onlyLiteralsAreAddresses() {
        for (String notLiteral
                : new String[] {"localhost", "example.com", "deadbeef", "1.2.3", "1.2.3.4.5", "256.1.1.1",
                "1.2.3.-4", "unknown", "", " ", "1.2.3.4:80", "fe80::1%eth0", "::g", "_hidden", "[]"}) {
            assertNull(AddressRange.literal(notLiteral), notLiteral);
        }
        assertNull(AddressRange.literal(null));
    }

    @Test
    void badEntriesAreRefusedWithTheirText() {
        assertEquals("not an IP address or CIDR block: proxy.internal",
                assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("proxy.internal")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/-1"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("::/129"));
        assertEquals("::/128", AddressRange.parse("::/128").toString());
    }
}
