package chatroom.web;

import chatroom.ChatSettings;
import chatroom.Guests;
import chatroom.client.AddressBudget;
import chatroom.store.DurableStore;
import chatroom.store.StoredMessage;
import chatroom.wire.ChatMessage;
import chatroom.wire.RoomName;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * Scrollback: {@code GET /history?room=<room>&before=<id>&limit=50} answers the stored messages of the room (the
 * default room without one) just older than {@code before} (the newest ones without it), oldest first, as a JSON array
 * of chat.v1 {@code message} envelopes, the same
 * objects the socket sends. An empty array means the store has nothing older.
 *
 * <p>A page of history costs what the page itself costs: it goes out gzip-compressed ({@link PageCompression})
 * and each client address has a budget of pages ({@code chat.history.requestsPerMinute}, {@code
 * chat.history.requestBurst}), past which it gets 429 before the store is asked anything.
 */
@WebServlet("/history")
public class HistoryServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(HistoryServlet.class.getName());
    static final int DEFAULT_LIMIT = 50;
    /** One answer stays small whatever a client asks: 200 messages of 2,000 characters are under 2 MB. */
    static final int MAX_LIMIT = 200;
    /** Clients the budget tracks at once (a few hundred bytes each); past it the one idle longest is forgotten. */
    private static final int MAX_TRACKED_ADDRESSES = 50_000;

    private transient AddressBudget pages;
    private int pagesPerMinute;

    @Override
    public void init() {
        ChatSettings settings = ChatApplication.services().settings();
        pagesPerMinute = settings.historyRequestsPerMinute();
        pages = new AddressBudget(pagesPerMinute / 60.0, settings.historyRequestBurst(), MAX_TRACKED_ADDRESSES,
                System::nanoTime);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatApplication.Services services = ChatApplication.services();
        if (services.settings().guests() == Guests.NONE && Account.of(request) == null) {
            JsonError.send(response, HttpServletResponse.SC_UNAUTHORIZED, "signed_out",
                    "Sign in to read this room.");
            return;
        }
        if (!pages.tryAcquire(services.settings().trustedProxies().resolve(request).client())) {
            response.setHeader("Retry-After", String.valueOf((59 + pagesPerMinute) / pagesPerMinute));
            JsonError.send(response, 429, "rate_limited",
                    "Too many history requests from your address. Wait a moment and try again.");
            return;
        }
        long before;
        int limit;
        try {
            before = whole(request, "before", Long.MAX_VALUE);
            limit = (int) Math.min(whole(request, "limit", DEFAULT_LIMIT), MAX_LIMIT);
        } catch (IllegalArgumentException e) {
            JsonError.send(response, HttpServletResponse.SC_BAD_REQUEST, "bad_request", e.getMessage());
            return;
        }
        String room = services.rooms().resolve(request.getParameter("room"));
        if (room == null) {
            JsonError.send(response, HttpServletResponse.SC_BAD_REQUEST, "bad_request", "Not a room here: "
                    + RoomName.rule() + ".");
            return;
        }
        DurableStore store = services.store();
        if (store == null) {
            JsonError.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "No history is stored here.");
            return;
        }
        List<StoredMessage> page;
        try {
            page = store.messages().before(room, before, limit);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "history read failed: " + e);
            JsonError.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "History is unavailable; try again.");
            return;
        }
        JsonError.answer(response, HttpServletResponse.SC_OK, envelopes(page));
    }

    /** The chat.v1 envelopes of the messages, in the order given, as one JSON array. */
    static String envelopes(List<StoredMessage> messages) {
        StringBuilder json = new StringBuilder(64 + 128 * messages.size()).append('[');
        for (StoredMessage m : messages) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(ChatMessage.create(m.room(), m.id(), m.sender(), m.text(), m.timestamp(), m.cid(), m.signedIn())
                    .json().text());
        }
        return json.append(']').toString();
    }

    /** A positive whole number from the query string, the fallback when absent; anything else is refused. */
    private static long whole(HttpServletRequest request, String name, long fallback) {
        String value = request.getParameter(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Same answer as a number below 1.
        }
        throw new IllegalArgumentException(name + " must be a whole number of at least 1");
    }
}
