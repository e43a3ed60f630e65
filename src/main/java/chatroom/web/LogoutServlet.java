package chatroom.web;

import chatroom.client.RequestSource;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * {@code POST /logout}: ends the session (the account and its name with it) and goes back to the page. Only from
 * this site's pages: another site's form gets 403, so it cannot sign anyone out.
 */
@WebServlet("/logout")
public class LogoutServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        ChatApplication.Services services = ChatApplication.services();
        RequestSource source = services.settings().trustedProxies().resolve(request);
        if (services.origins().refusedForeign(request, source, response)) {
            return;
        }
        // Both: the container forgets the account on this request and in its session, then the session ends.
        request.logout();
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyEnded) {
                // Signed out already: the answer is the same.
            }
        }
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + LocalPath.HOME);
    }
}
