package chatroom.testing;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One visitor's HTTP side: a cookie jar, the page, the nickname POST, and sockets that carry its session cookie. */
public final class WebSession {
    private final ChatServer server;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    public WebSession(ChatServer server) {
        this.server = server;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(ChatClient.WAIT)
                .build();
    }

    public URI pageUri() {
        return server.pageUri();
    }

    public HttpResponse<String> getPage() {
        return get("");
    }

    /** GET of a path under the page's context, with this visitor's cookies. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(server.pageUri().resolve(path)).GET());
    }

    /** POST user=<name> as the page's script does (form-encoded, asking for JSON). */
    public HttpResponse<String> postNickname(String name) {
        return postNickname(name, null, "application/json");
    }

    public HttpResponse<String> postNickname(String name, String origin, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.pageUri().resolve("index"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return send(request);
    }

    /** A form POST ({@code body} URL-encoded) to a path under the page's context, with this visitor's cookies. */
    public HttpResponse<String> postForm(String path, String body, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.pageUri().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return send(request);
    }

    /** The value of this visitor's cookie of that name, or null. */
    public String cookie(String name) {
        return cookies.getCookieStore().get(server.pageUri()).stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Takes a nickname, failing the test if the server refuses it. */
    public WebSession nickname(String name) {
        HttpResponse<String> response = postNickname(name);
        if (response.statusCode() != 200) {
            throw new AssertionError("nickname " + name + " refused: " + response.statusCode() + " " + response.body());
        }
        return this;
    }

    /** The Cookie header a browser would send with the socket handshake. */
    public String cookieHeader() {
        StringBuilder header = new StringBuilder();
        for (HttpCookie cookie : cookies.getCookieStore().get(server.pageUri())) {
            if (!header.isEmpty()) {
                header.append("; ");
            }
            header.append(cookie.getName()).append('=').append(cookie.getValue());
        }
        return header.toString();
    }

    /**
     * A chat.v1 socket as this visitor, once the handshake is done. It does not read the welcome: read that (the
     * first envelope) before relying on broadcasts, or something sent meanwhile may come before the member exists.
     */
    public ChatClient connectChat(String query) {
        return ChatClient.connect(server.socketUri(query), ChatClient.options().chatV1().cookie(cookieHeader()));
    }

    /**
     * A visitor who took {@code name} and whose chat.v1 socket (with {@code query}, may be null) got its welcome,
     * so it receives every broadcast from now on.
     */
    public static ChatClient joined(ChatServer server, String name, String query) {
        ChatClient client = new WebSession(server).nickname(name).connectChat(query);
        JsonObject welcome = client.next();
        if (!"welcome".equals(welcome.getString("type")) || !name.equals(welcome.getString("you"))) {
            client.close();
            throw new AssertionError("expected the welcome of " + name + " first, got " + welcome);
        }
        return client;
    }

    /**
     * A JSON request (the moderation API's) to a path under the page's context, with this visitor's cookies;
     * {@code body} and {@code origin} may be null.
     */
    public HttpResponse<String> json(String method, String path, String body, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.pageUri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
