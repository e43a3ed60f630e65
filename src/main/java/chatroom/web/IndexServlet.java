package chatroom.web;

import chatroom.log.MessageLog;
import chatroom.room.Room;
import chatroom.wire.ChatMessage;
import chatroom.wire.JsonText;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The page and the nickname. GET renders the room with its recent history embedded; POST {@code user=<name>}
 * binds a nickname to the HttpSession and answers JSON, or 303 back to the page for a form posted without script.
 */
@WebServlet(urlPatterns = {"", "/index"})
public class IndexServlet extends HttpServlet {
    static final String VIEW = "/WEB-INF/views/index.jsp";
    /** A no-script form post's error, shown once by the next GET. */
    private static final String FLASH_ERROR = "chat.nicknameError";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        ChatApplication.Services services = ChatApplication.services();
        HttpSession session = request.getSession(true);
        Snapshot snapshot = Snapshot.of(services.room(), services.backend().log(), services.settings().pageHistory());
        request.setAttribute("user", Nicknames.boundTo(session));
        request.setAttribute("lastId", snapshot.lastId());
        request.setAttribute("historyJson", historyJson(snapshot));
        request.setAttribute("maxTextLength", services.settings().maxTextLength());
        request.setAttribute("nicknameError", session.getAttribute(FLASH_ERROR));
        session.removeAttribute(FLASH_ERROR);
        response.setHeader("Cache-Control", "no-store");
        request.getRequestDispatcher(VIEW).forward(request, response);
    }

    /** The envelopes are already escaped for embedding in a script element (see JsonText). */
    private static String historyJson(Snapshot snapshot) {
        StringBuilder json = new StringBuilder("[");
        for (ChatMessage message : snapshot.recent()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(message.json().text());
        }
        return json.append(']').toString();
    }

    /** What the page embeds: the newest messages and the id a client resumes from. */
    record Snapshot(long lastId, List<ChatMessage> recent) {
        /** A message the log has and the room has not fanned out yet counts: the page resumes after it. */
        static Snapshot of(Room room, MessageLog log, int count) {
            long last = room.lastId();
            List<ChatMessage> recent = log.newest(count);
            return new Snapshot(recent.isEmpty() ? last : Math.max(last, recent.get(recent.size() - 1).id()), recent);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatApplication.Services services = ChatApplication.services();
        RequestSource source = services.settings().trustedProxies().resolve(request);
        if (!services.origins().permits(request.getHeader("Origin"), source.host())) {
            answer(response, HttpServletResponse.SC_FORBIDDEN,
                    error("forbidden_origin", "Requests from another site are not accepted."));
            return;
        }
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        HttpSession session = request.getSession(true);
        Nicknames.Claim claim = services.nicknames().claim(session, request.getParameter("user"));
        if (wantsPage(request)) {
            if (claim.outcome() != Nicknames.Outcome.ACCEPTED) {
                session.setAttribute(FLASH_ERROR, claim.message());
            }
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", request.getContextPath() + "/");
            return;
        }
        switch (claim.outcome()) {
            case ACCEPTED -> answer(response, HttpServletResponse.SC_OK, JsonText.object().field("user", claim.name()).end());
            case INVALID -> answer(response, HttpServletResponse.SC_BAD_REQUEST, error("invalid_nickname", claim.message()));
            case TAKEN -> answer(response, HttpServletResponse.SC_CONFLICT, error("nickname_taken", claim.message()));
        }
    }

    /** A browser form posted without script asks for HTML; scripts and tools ask for JSON or anything. */
    private static boolean wantsPage(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html") && !accept.contains("application/json");
    }

    private static String error(String code, String message) {
        return JsonText.object().field("error", code).field("message", message).end();
    }

    private static void answer(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }
}
