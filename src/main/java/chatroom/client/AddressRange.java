package chatroom.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One entry of {@code chat.proxies.trusted}: an IPv4 or IPv6 address, or a CIDR block such as {@code 10.0.0.0/8}.
 * Only literals are accepted, never host names, so no request can make the server run a DNS lookup.
 */
final class AddressRange {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private AddressRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /** An address (a block of one) or {@code address/prefix}; bits past the prefix are ignored, as routers do. */
    static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        InetAddress address = literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
        }
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = trimmed.substring(slash + 1);
            if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("not a prefix length of 0 to " + bits + ": " + text);
            }
            prefix = Integer.parseInt(length);
        }
        return new AddressRange(bytes, prefix, trimmed);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (candidate[whole] & mask) == (network[whole] & mask);
    }

    /**
     * The address written in {@code text} (dotted IPv4, or IPv6 with or without brackets), or null when it is not
     * such a literal. IPv4-mapped IPv6 addresses come back as IPv4, as the JDK reports peers.
     */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.length() > 2 && s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            return ipv6(s);
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Brackets make the JDK parse an IPv6 literal or refuse it; it never resolves a bracketed name. */
    private static InetAddress ipv6(String s) {
        boolean literalCharacters = s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        if (!literalCharacters) {
            return null;
        }
        try {
            return InetAddress.getByName("[" + s + "]");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
