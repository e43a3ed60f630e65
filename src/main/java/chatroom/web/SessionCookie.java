package chatroom.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;

/**
 * With {@code chat.session.hostCookie=true} the session cookie is {@code __Host-JSESSIONID; Secure; Path=/} with
 * no Domain. Browsers accept a cookie of that name only from the host itself over HTTPS, so a sibling host
 * ({@code evil.example.com} next to {@code chat.example.com}) or a plain-HTTP page cannot plant a session id in a
 * visitor's browser. A container chooses its session cookie once, when the webapp starts, for every request:
 * this is for deployments served over HTTPS only (over plain HTTP the browser drops the cookie, and no nickname
 * stays claimed). Path=/ means the cookie also travels to other webapps on the same host.
 */
final class SessionCookie {
    static final String HOST_ONLY_NAME = "__Host-JSESSIONID";

    private SessionCookie() {
    }

    static void apply(ServletContext context, boolean hostOnly) {
        if (hostOnly) {
            SessionCookieConfig cookie = context.getSessionCookieConfig();
            cookie.setName(HOST_ONLY_NAME);
            cookie.setSecure(true);
            cookie.setPath("/");
            cookie.setDomain(null);
        }
    }
}
