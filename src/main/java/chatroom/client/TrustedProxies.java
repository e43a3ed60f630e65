package chatroom.client;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The reverse proxies whose forwarded headers the server believes ({@code chat.proxies.trusted}), and the one place
 * that decides, for every request, which client it comes from and which host and scheme the browser used.
 *
 * <p>Forwarded headers are read only when the peer that connected is a trusted proxy; from anyone else they are
 * ignored, since any client can write them. The client address is found as nginx's {@code real_ip_recursive} and
 * Tomcat's RemoteIpValve do: walk {@code X-Forwarded-For} from the right (the entry the nearest proxy appended)
 * while the hop that reported it is trusted; the first address not in the list is the client. What a client
 * wrote itself sits further left and is never reached. {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}
 * are taken from their last entry, the one the nearest proxy wrote. The RFC 7239 {@code Forwarded} header is
 * not read: nginx passes a client's own {@code Forwarded} through unchanged unless told otherwise, so believing
 * it would let any client behind the documented proxy pick its own address. The address found is then turned into
 * the client's {@link ClientKey}, the one every per-client limit counts by.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(List.of(), ClientKey.defaults());

    private final List<AddressRange> ranges;
    private final ClientKey clientKey;

    private TrustedProxies(List<AddressRange> ranges, ClientKey clientKey) {
        this.ranges = ranges;
        this.clientKey = clientKey;
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /** As {@link #parse(List, ClientKey)} with the default client key. */
    public static TrustedProxies parse(List<String> entries) {
        return parse(entries, ClientKey.defaults());
    }

    /**
     * Addresses or CIDR blocks; throws IllegalArgumentException naming the first entry that is neither. Each
     * resolved request also carries its client's key by {@code clientKey}.
     */
    public static TrustedProxies parse(List<String> entries, ClientKey clientKey) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(AddressRange.parse(entry));
        }
        return new TrustedProxies(List.copyOf(ranges), clientKey);
    }

    public boolean trusts(String address) {
        InetAddress parsed = AddressRange.literal(address);
        return parsed != null && ranges.stream().anyMatch(range -> range.contains(parsed));
    }

    public RequestSource resolve(HttpServletRequest request) {
        // getHeaders may be null where a container hides headers; neither Tomcat nor Jetty does, but nothing is lost.
        return resolve(request.getRemoteAddr(), request.getScheme(), name -> {
            Enumeration<String> values = request.getHeaders(name);
            return values == null ? List.of() : Collections.list(values);
        });
    }

    /**
     * @param peer    the address of whoever opened the TCP connection
     * @param scheme  the scheme of that connection
     * @param headers every value of the named request header (empty when absent)
     */
    public RequestSource resolve(String peer, String scheme, Function<String, List<String>> headers) {
        String host = last(headers.apply("Host"));
        if (!trusts(peer)) {
            return new RequestSource(peer, clientKey.of(peer), host, scheme);
        }
        String client = peer;
        List<String> forwardedFor = entries(headers.apply("X-Forwarded-For"));
        for (int i = forwardedFor.size() - 1; i >= 0 && trusts(client); i--) {
            InetAddress reported = AddressRange.literal(forwardedFor.get(i));
            if (reported == null) {
                break; // a trusted proxy wrote something that is no address: keep the last hop we could read
            }
            client = reported.getHostAddress();
        }
        String forwardedHost = last(entries(headers.apply("X-Forwarded-Host")));
        String forwardedProto = last(entries(headers.apply("X-Forwarded-Proto")));
        if (forwardedProto != null) {
            forwardedProto = forwardedProto.toLowerCase(Locale.ROOT);
        }
        return new RequestSource(client, clientKey.of(client),
                isHost(forwardedHost) ? forwardedHost : host,
                "http".equals(forwardedProto) || "https".equals(forwardedProto) ? forwardedProto : scheme);
    }

    /** The values of a header that may repeat and may hold comma-separated lists, in order. */
    private static List<String> entries(List<String> values) {
        List<String> entries = new ArrayList<>();
        for (String value : values) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        return entries;
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** host[:port] as it may appear in an Origin: no spaces, slashes or user info. */
    private static boolean isHost(String value) {
        return value != null && value.length() <= 261 && value.matches("[A-Za-z0-9._~\\-\\[\\]:]+");
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
