package chatroom.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client's half of the WebSocket opening handshake (RFC 6455 section 4), for the test clients that speak the
 * protocol on a socket of their own: {@link RawWebSocket} (blocking, one connection) and the benchmark's NIO load
 * generator (thousands at once). {@link ChatClient} uses the JDK's WebSocket client, which does its own.
 */
public final class Handshake {
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String target;
    private final String authority;
    private final List<String> headers;

    /**
     * @param target the path and query, e.g. {@code /chatroom/message?since=4}
     * @param authority the Host header, e.g. {@code 127.0.0.1:8080}
     * @param headers extra header lines without their CRLF, e.g. {@code Sec-WebSocket-Protocol: chat.v1}
     */
    public Handshake(String target, String authority, List<String> headers) {
        this.target = target;
        this.authority = authority;
        this.headers = List.copyOf(headers);
    }

    /** The upgrade to {@code socketUri} (ws://host:port/path?query). */
    public static Handshake to(URI socketUri, List<String> headers) {
        String query = socketUri.getRawQuery();
        return new Handshake(socketUri.getRawPath() + (query == null ? "" : "?" + query), socketUri.getRawAuthority(),
                headers);
    }

    /** The same upgrade with {@code suffix} (e.g. {@code ?room=b3}, or empty) appended to its target. */
    public Handshake plusQuery(String suffix) {
        return suffix.isEmpty() ? this : new Handshake(target + suffix, authority, headers);
    }

    /** A fresh Sec-WebSocket-Key: 16 random bytes, base64. */
    public static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The whole upgrade request with this key, up to and including the blank line that ends it. */
    public byte[] request(String key) {
        StringBuilder request = new StringBuilder()
                .append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The Sec-WebSocket-Accept a server must answer {@code key} with. */
    public static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
