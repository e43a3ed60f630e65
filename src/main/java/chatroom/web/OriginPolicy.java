package chatroom.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pages may open the socket or post a nickname: the page's own origin, the configured allow-list, and
 * clients that send no Origin at all (command-line tools and servers; browsers always send one).
 */
final class OriginPolicy {
    private final Set<String> allowed;

    OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Same origin means the Origin's host and port are the request's Host header: browsers omit default ports in
     * both, and a reverse proxy that keeps the Host (as it must for cookies) keeps them equal even when it
     * terminates TLS, where the schemes differ.
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
        return schemeEnd > 0 && host != null && normalised.substring(schemeEnd + 3).equals(host.trim().toLowerCase(Locale.ROOT));
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
