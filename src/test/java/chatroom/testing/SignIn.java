package chatroom.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Signing a {@link WebSession} in as a browser does: {@code GET /login?next=...} (the container shows its form and
 * remembers the request), the form's POST to {@code j_security_check}, then back to {@code /login}, which sends
 * the visitor on to {@code next}.
 */
public final class SignIn {
    private SignIn() {
    }

    /** What each step answered. */
    public record Steps(HttpResponse<String> form, HttpResponse<String> check, HttpResponse<String> landing) {
        /** Where the sign-in sent the visitor in the end (the landing's Location, as a path); null if nowhere. */
        public String destination() {
            return landing == null ? null : landing.headers().firstValue("Location").map(SignIn::path).orElse(null);
        }
    }

    /** Signs in, failing the test unless the visitor ends up signed in on {@code next}'s page. */
    public static WebSession as(WebSession visitor, String name, String password) {
        Steps steps = attempt(visitor, name, password, "/");
        if (steps.landing() == null || steps.landing().statusCode() != 303) {
            throw new AssertionError("sign-in of " + name + " failed: " + steps);
        }
        return visitor;
    }

    /**
     * The three steps; {@code landing} is null when {@code j_security_check} did not redirect (a wrong password:
     * the container shows the form again).
     */
    public static Steps attempt(WebSession visitor, String name, String password, String next) {
        HttpResponse<String> form = visitor.get("login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        HttpResponse<String> check = visitor.postForm("j_security_check", "j_username="
                + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&j_password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8), null);
        String back = check.headers().firstValue("Location").orElse(null);
        if (check.statusCode() / 100 != 3 || back == null) {
            return new Steps(form, check, null);
        }
        return new Steps(form, check, visitor.get(relative(visitor, back)));
    }

    /** A Location (absolute or a path) as a path relative to the page, which WebSession resolves. */
    private static String relative(WebSession visitor, String location) {
        String path = path(location);
        String context = visitor.pageUri().getRawPath(); // ends with a slash
        return path.startsWith(context) ? path.substring(context.length()) : path;
    }

    private static String path(String location) {
        URI uri = URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
