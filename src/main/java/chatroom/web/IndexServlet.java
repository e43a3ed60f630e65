package chatroom.web;

import chatroom.ChatSettings;
import chatroom.Guests;
import chatroom.client.AddressBudget;
import chatroom.client.RequestSource;
import chatroom.log.MessageLog;
import chatroom.moderation.Moderation;
import chatroom.nickname.NicknameForm;
import chatroom.nickname.Nicknames;
import chatroom.room.Room;
import chatroom.wire.ChatMessage;
import chatroom.wire.JsonText;
import chatroom.wire.RoomName;
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
 * The page and the nickname. GET renders a room ({@code /} the default room, {@code /r/<room>} any other) with its
 * recent history embedded and creates nothing: a visitor gets an HttpSession only once a nickname is accepted. POST
 * {@code user=<name>} binds a nickname to
 * the session and answers JSON, or 303 back to the page for a form posted without script; claims are limited
 * per client address.
 */
@WebServlet(urlPatterns = {"", "/index", "/r/*"})
public class IndexServlet extends HttpServlet {
    static final String VIEW = "/WEB-INF/views/index.jsp";
    /**
     * A no-script form post's refusal, shown by the page it is redirected to. It travels in the query string as a
     * code from a closed list ({@link NicknameForm.Problem} or {@link #RATE_LIMITED}), never as text: nothing is
     * stored for it on the server (a session per refused post would let a visitor cost memory for free) or in a
     * cookie (which would need clearing and fails with cookies off), and a link someone else wrote can only show
     * one of our own messages.
     */
    static final String FLASH_PARAMETER = "nicknameError";
    private static final String RATE_LIMITED = "rate_limited";
    private static final String RATE_LIMITED_MESSAGE = "Too many nickname requests from your address. Wait a minute "
            + "and try again.";
    /**
     * Clients the claim budget tracks at once (a few hundred bytes each); past it the one idle longest is forgotten.
     */
    private static final int MAX_TRACKED_ADDRESSES = 50_000;

    private transient AddressBudget claims;
    private int sessionTimeoutSeconds;
    private int claimsPerMinute;

    @Override
    public void init() {
        ChatSettings settings = ChatApplication.services().settings();
        claimsPerMinute = settings.nicknameClaimsPerMinute();
        claims = new AddressBudget(claimsPerMinute / 60.0, settings.nicknameClaimBurst(), MAX_TRACKED_ADDRESSES,
                System::nanoTime);
        sessionTimeoutSeconds = settings.sessionTimeoutSeconds();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException,
            IOException {
        ChatApplication.Services services = ChatApplication.services();
        String roomName = roomOf(request, services);
        if (roomName == null) {
            JsonError.send(response, HttpServletResponse.SC_BAD_REQUEST, "bad_request", "Not a room: "
                    + RoomName.rule() + ".");
            return;
        }
        if (!services.settings().rooms().allows(roomName)) {
            JsonError.send(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "This server has no room "
                    + roomName + ".");
            return;
        }
        Room room = services.rooms().openRoom(roomName);
        if (room == null) {
            response.setHeader("Retry-After", "60");
            JsonError.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "The server has as many rooms open as it may; try again later.");
            return;
        }
        HttpSession session = request.getSession(false);
        Account account = Account.of(request);
        String user = Account.chatName(account, services, session);
        // Where guests may not be, a guest's page holds no conversation, only the way to sign in.
        boolean mayRead = account != null || services.settings().guests() != Guests.NONE;
        Snapshot snapshot = mayRead ? Snapshot.of(room, services.backend().log(), services.settings().pageHistory())
                : new Snapshot(0, List.of());
        request.setAttribute("room", roomName);
        request.setAttribute("defaultRoom", services.settings().rooms().defaultRoom());
        request.setAttribute("user", user);
        request.setAttribute("signedIn", account != null);
        request.setAttribute("moderator", account != null && account.moderator());
        request.setAttribute("guests", services.settings().guests().value());
        request.setAttribute("here", pathInContext(request));
        request.setAttribute("lastId", snapshot.lastId());
        request.setAttribute("historyJson", forScriptElement(historyJson(snapshot)));
        request.setAttribute("maxTextLength", services.settings().maxTextLength());
        request.setAttribute("nicknameError", flashMessage(parameter(request, FLASH_PARAMETER)));
        response.setHeader("Cache-Control", "no-store");
        // Include, not forward: after a forward Tomcat finishes the container's response underneath any wrapper,
        // cutting off PageCompression's gzip stream before its end. An included JSP cannot set the content
        // type, so it is set here.
        response.setContentType("text/html;charset=UTF-8");
        request.getRequestDispatcher(VIEW).include(request, response);
    }

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
            List<ChatMessage> recent = log.newest(room.name(), count);
            return new Snapshot(recent.isEmpty() ? last : Math.max(last, recent.get(recent.size() - 1).id()), recent);
        }
    }

    /**
     * JSON made safe inside an HTML script element: {@code <}, {@code >} and {@code &} as \\u escapes, so no
     * {@code </script>} or {@code <!--} can end or change the element; U+2028/2029 too, for older script parsers.
     * Outside strings JSON has none of these characters, so the text stays the same JSON. Only the page does
     * this: the socket sends JSON as it is, one byte for one byte.
     */
    static String forScriptElement(String json) {
        StringBuilder out = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The room a page asks for: the default room at {@code /} and {@code /index}, else {@code /r/<room>}; null: no
     * name.
     */
    private static String roomOf(HttpServletRequest request, ChatApplication.Services services) {
        if (!"/r".equals(request.getServletPath())) {
            return services.settings().rooms().defaultRoom();
        }
        String path = request.getPathInfo();
        return path == null ? null : RoomName.parse(path.substring(1));
    }

    /** This page's path within the webapp, where the sign-in brings the visitor back to. */
    private static String pathInContext(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? LocalPath.HOME : path;
    }

    private static String flashMessage(String code) {
        if (RATE_LIMITED.equals(code)) {
            return RATE_LIMITED_MESSAGE;
        }
        NicknameForm.Problem problem = NicknameForm.Problem.ofCode(code);
        return problem == null ? null : problem.message();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatApplication.Services services = ChatApplication.services();
        RequestSource source = services.settings().trustedProxies().resolve(request);
        if (services.origins().refusedForeign(request, source, response)) {
            return;
        }
        Account account = Account.of(request);
        if (account != null) {
            JsonError.send(response, HttpServletResponse.SC_CONFLICT, "signed_in", "you chat as " + account.name());
            return;
        }
        if (!claims.tryAcquire(source.client())) {
            if (wantsPage(request)) {
                backToPage(request, response, RATE_LIMITED);
            } else {
                response.setHeader("Retry-After", String.valueOf((59 + claimsPerMinute) / claimsPerMinute));
                JsonError.send(response, 429, RATE_LIMITED, RATE_LIMITED_MESSAGE);
            }
            return;
        }
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Nicknames.Claim claim;
        try {
            String requested = FormField.read(request, "user");
            Moderation.NameVerdict verdict = requested == null ? null
                    : services.moderation().claim(requested.strip(), source.client());
            if (verdict != null) {
                refuseName(request, response, verdict);
                return;
            }
            HttpSession existing = request.getSession(false);
            claim = services.nicknames().claim(existing, () -> newSession(request), requested);
            if (claim.outcome() == Nicknames.Outcome.ACCEPTED) {
                renewSessionId(request, existing);
            }
        } catch (FormField.Unreadable unreadable) {
            claim = new Nicknames.Claim(Nicknames.Outcome.INVALID, "", NicknameForm.Problem.UNREADABLE);
        }
        if (wantsPage(request)) {
            backToPage(request, response, claim.problem() == null ? null : claim.problem().code());
            return;
        }
        switch (claim.outcome()) {
            case ACCEPTED -> JsonError.answer(response, HttpServletResponse.SC_OK, JsonText.object()
                    .field("user", claim.name()).end());
            case INVALID -> JsonError.send(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_nickname",
                    claim.message());
            case TAKEN -> JsonError.send(response, HttpServletResponse.SC_CONFLICT, "nickname_taken", claim.message());
            case UNAVAILABLE -> {
                response.setHeader("Retry-After", "5");
                JsonError.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", claim.message());
            }
        }
    }

    /** A name moderation keeps from guests: banned (403), or a signed-in person's (409). */
    private void refuseName(HttpServletRequest request, HttpServletResponse response, Moderation.NameVerdict verdict)
            throws IOException {
        NicknameForm.Problem problem = verdict == Moderation.NameVerdict.BANNED ? NicknameForm.Problem.BANNED
                : NicknameForm.Problem.SIGNED_IN_NAME;
        if (wantsPage(request)) {
            backToPage(request, response, problem.code());
        } else if (verdict == Moderation.NameVerdict.BANNED) {
            JsonError.send(response, HttpServletResponse.SC_FORBIDDEN, "banned", problem.message());
        } else {
            JsonError.send(response, HttpServletResponse.SC_CONFLICT, "reserved", problem.message());
        }
    }

    /** The only place a session is created: when a nickname is accepted. */
    private HttpSession newSession(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        session.setMaxInactiveInterval(sessionTimeoutSeconds);
        return session;
    }

    /**
     * A name accepted on a session the visitor arrived with gets that session a new id, and the old id stops
     * working: an id someone planted in the visitor's browser before (session fixation) never carries their name.
     * A session made by this request has an id nobody else has seen.
     */
    private static void renewSessionId(HttpServletRequest request, HttpSession existing) {
        String before = Nicknames.idOf(existing);
        if (before != null && before.equals(Nicknames.idOf(request.getSession(false)))) {
            request.changeSessionId();
        }
    }

    /** A query parameter of the page, or null when absent or undecodable (Tomcat throws on bytes not UTF-8). */
    private static String parameter(HttpServletRequest request, String name) {
        try {
            return request.getParameter(name);
        } catch (RuntimeException undecodable) {
            return null;
        }
    }

    private static void backToPage(HttpServletRequest request, HttpServletResponse response, String errorCode) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/"
                + (errorCode == null ? "" : "?" + FLASH_PARAMETER + "=" + errorCode));
    }

    /** A browser form posted without script asks for HTML; scripts and tools ask for JSON or anything. */
    private static boolean wantsPage(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html") && !accept.contains("application/json");
    }
}
