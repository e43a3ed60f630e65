package chatroom.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Folders served read-only over HTTP on 127.0.0.1 (the JDK's own server), for pages that need no container: the
 * page's pure modules and their test page. Chromium runs ES modules only from http(s), and blocks a file:// page
 * from loopback fetches, so the tests are loaded from here.
 */
public final class StaticFiles implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=UTF-8",
            "js", "text/javascript;charset=UTF-8",
            "css", "text/css;charset=UTF-8");

    private final HttpServer server;

    private StaticFiles(HttpServer server) {
        this.server = server;
    }

    /** mounts: URL prefix ("/static/") to the folder it serves. */
    public static StaticFiles serve(Map<String, Path> mounts) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mounts.forEach((prefix, folder) -> {
            Path root = folder.toAbsolutePath().normalize();
            server.createContext(prefix, exchange -> answer(exchange, root, prefix));
        });
        server.start();
        return new StaticFiles(server);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static void answer(HttpExchange exchange, Path root, String prefix) throws IOException {
        try (exchange) {
            String relative = exchange.getRequestURI().getPath().substring(prefix.length());
            Path file = root.resolve(relative).normalize();
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            // Only files under the mounted folder, only the types a page needs.
            if (!"GET".equals(exchange.getRequestMethod()) || !file.startsWith(root) || type == null
                    || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
