package chatroom.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One visitor whose every connection leaves from a loopback address of its own (127.0.N.1; the whole of 127/8 is
 * the loopback), as distinct visitors reach a proxy from distinct addresses: what nginx's {@code ip_hash} routes
 * by. The JDK's HttpClient cannot choose its source address on Java 17, so this speaks HTTP/1.0 on a bare socket
 * (one request per connection and the body until the server closes: nothing to un-chunk) and opens its chat
 * socket with {@link RawWebSocket}. It keeps its cookies like a browser (name and value; one site).
 */
public final class LoopbackVisitor {
    private final InetAddress source;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    public record Response(int status, String head, String body) {
    }

    public LoopbackVisitor(InetAddress source) {
        this.source = source;
    }

    /** The n-th /24 of the loopback (127.0.n.1): ip_hash looks at the first three octets of an IPv4 address. */
    public static LoopbackVisitor fromSubnet(int n) {
        try {
            return new LoopbackVisitor(InetAddress.getByAddress(new byte[] {127, 0, (byte) n, 1}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetAddress source() {
        return source;
    }

    public Response getPage(ChatServer server) {
        return exchange(server.pageUri(), "GET", null, null);
    }

    /** POST user=<name> as the page's script does, with the page's Origin and any extra header lines. */
    public Response postNickname(ChatServer server, String name, String origin, String... headers) {
        return exchange(server.pageUri().resolve("index"), "POST", origin, "user="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), headers);
    }

    /** A chat.v1 socket as the page opens it: this visitor's cookies, the page's Origin, any extra header lines. */
    public RawWebSocket connectChat(ChatServer server, String origin, String... headers) throws IOException {
        String[] all = new String[headers.length + 3];
        all[0] = "Sec-WebSocket-Protocol: chat.v1";
        all[1] = "Origin: " + origin;
        all[2] = "Cookie: " + cookieHeader();
        System.arraycopy(headers, 0, all, 3, headers.length);
        return RawWebSocket.connect(server.socketUri(null), source, 0, all);
    }

    public String cookieHeader() {
        StringBuilder header = new StringBuilder();
        cookies.forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=')
                .append(value));
        return header.toString();
    }

    private Response exchange(URI uri, String method, String origin, String form, String... headers) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) ChatClient.WAIT.toMillis());
            socket.setSoTimeout((int) ChatClient.WAIT.toMillis());
            byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder()
                    .append(method).append(' ').append(uri.getRawPath()).append(" HTTP/1.0\r\n")
                    .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
                    .append("Accept: application/json, text/html\r\n");
            if (!cookies.isEmpty()) {
                request.append("Cookie: ").append(cookieHeader()).append("\r\n");
            }
            if (origin != null) {
                request.append("Origin: ").append(origin).append("\r\n");
            }
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            if (form != null) {
                request.append("Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " from " + source.getHostAddress(), e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    private Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete HTTP response: " + text);
        }
        String head = text.substring(0, end);
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Set-Cookie:", 0, 11)) {
                String pair = line.substring(11).trim().split(";", 2)[0];
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
                }
            }
        }
        return new Response(Integer.parseInt(head.split(" ", 3)[1]), head, text.substring(end + 4));
    }
}
