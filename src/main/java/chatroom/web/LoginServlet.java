package chatroom.web;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /login?next=<path>}: web.xml lets only a signed-in person through (the container shows its form to
 * anyone else and, once the password is right, brings them back here). Their account's name is held for them,
 * and they go back to {@code next}, a path of this webapp.
 */
@WebServlet("/login")
public class LoginServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        Account account = Account.of(request);
        if (account != null) {
            account.seen(ChatApplication.services(), request.getSession(false));
        }
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + LocalPath.orHome(request.getParameter("next")));
    }
}
