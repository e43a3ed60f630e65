package chatroom.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who counts as one client, for every per-client budget, cap, tracker and ban: an IPv4 address as it is, an IPv6
 * address by its prefix ({@code chat.clients.ipv6PrefixLength}, 64 by default). One IPv6 host is routinely given a
 * whole /64 and picks addresses in it at will, so counting per /128 would count per nothing; a /64 is what one
 * subscriber, office or campus network gets, as one IPv4 address behind a NAT is.
 *
 * <p>The key is text: the address ({@code 203.0.113.5}) or the prefix in CIDR form ({@code 2001:db8:1:2:0:0:0:0/64}).
 * IPv4-mapped IPv6 addresses ({@code ::ffff:203.0.113.5}) are their IPv4 address. What is no address literal at
 * all (a container that reports something else) is its own key, as written.
 */
public final class ClientKey {
    public static final int DEFAULT_IPV6_PREFIX_LENGTH = 64;

    private final int ipv6PrefixLength;

    public ClientKey(int ipv6PrefixLength) {
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException("an IPv6 prefix length is 1 to 128, got " + ipv6PrefixLength);
        }
        this.ipv6PrefixLength = ipv6PrefixLength;
    }

    public static ClientKey defaults() {
        return new ClientKey(DEFAULT_IPV6_PREFIX_LENGTH);
    }

    /** The key of the client at {@code address} (as {@link TrustedProxies} decided it); null for null. */
    public String of(String address) {
        if (address == null) {
            return null;
        }
        InetAddress parsed = AddressRange.literal(address);
        if (parsed == null) {
            return address;
        }
        if (!(parsed instanceof Inet6Address) || ipv6PrefixLength == 128) {
            return parsed.getHostAddress();
        }
        byte[] bytes = parsed.getAddress();
        for (int bit = ipv6PrefixLength; bit < 128; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + ipv6PrefixLength;
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    public int ipv6PrefixLength() {
        return ipv6PrefixLength;
    }

    @Override
    public String toString() {
        return "IPv4 address, IPv6 /" + ipv6PrefixLength;
    }
}
