package chatroom.web;

import chatroom.client.RequestSource;
import chatroom.client.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Which pages may open the socket or post a nickname: the page's own origin, the configured allow-list, and
 * clients that send no Origin at all (command-line tools and servers; browsers always send one).
 */
final class OriginPolicy {
    private static final System.Logger LOG = System.getLogger(OriginPolicy.class.getName());
    private final Set<String> allowed;
    private final AtomicBoolean portHintLogged = new AtomicBoolean();

    OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Same origin means the Origin's host and port are the request's Host header: browsers omit default ports in
     * both, and a reverse proxy that keeps the Host (as it must for cookies) keeps them equal even when it
     * terminates TLS, where the schemes differ. Ports are never ignored: another port is another site.
     *
     * @param host the host the browser used, as {@link TrustedProxies} found it
     */
    boolean permits(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String normalised = normalise(origin);
        if (allowed.contains(normalised)) {
            return true;
        }
        int schemeEnd = normalised.indexOf("://");
        if (schemeEnd <= 0 || host == null) {
            return false;
        }
        String authority = normalised.substring(schemeEnd + 3);
        String expected = host.trim().toLowerCase(Locale.ROOT);
        if (authority.equals(expected)) {
            return true;
        }
        if (authority.startsWith(expected + ":") && portHintLogged.compareAndSet(false, true)) {
            // Almost always a reverse proxy that forwards the host without its port (nginx's $host). Once only:
            // anyone can send such requests, and the log must not become theirs.
            LOG.log(System.Logger.Level.WARNING, "refused Origin {0} for Host {1}: the Host lacks the port the"
                    + " browser used. A reverse proxy must forward the Host with its port (nginx: proxy_set_header"
                    + " Host $http_host); see the README. Logged once.", origin, host);
        }
        return false;
    }

    /**
     * Answers 403 {@code forbidden_origin} to a request sent by another site's page; true when it did, and the
     * caller stops there.
     */
    boolean refusedForeign(HttpServletRequest request, RequestSource source, HttpServletResponse response)
            throws IOException {
        if (permits(request.getHeader("Origin"), source.host())) {
            return false;
        }
        JsonError.send(response, HttpServletResponse.SC_FORBIDDEN, "forbidden_origin",
                "Requests from another site are not accepted.");
        return true;
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
