package chatroom.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers 503 while this deployment's room is not running: between its stop and the container's removal of it, as
 * when the next deployment of a hot redeploy has already taken over (Jetty starts the new one first, see
 * {@link Handover}). The page and its script retry; without this every such request would fail with a 500.
 */
@WebFilter(urlPatterns = "/*")
public class WhileStopped extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (ChatApplication.servicesOrNull() == null) {
            response.setHeader("Retry-After", "1");
            JsonError.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "The chat room is restarting. Try again shortly.");
            return;
        }
        chain.doFilter(request, response);
    }
}
