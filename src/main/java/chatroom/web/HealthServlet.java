package chatroom.web;

import chatroom.room.Rooms;
import chatroom.wire.JsonText;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Liveness for load balancers and orchestrators: 200 with a few figures while the room runs. */
@WebServlet("/health")
public class HealthServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatApplication.Services services = ChatApplication.services();
        Rooms rooms = services.rooms();
        JsonText json = JsonText.object()
                .field("status", "up")
                .field("connections", rooms.connections())
                .field("rooms", rooms.live().size())
                .field("lastId", services.backend().log().lastId())
                .field("historySize", services.backend().log().retainedCount());
        // The log's own fields (redis: up or down). Still "up" while Redis is away: local members stay connected
        // and are told their messages were not sent.
        services.backend().log().health().forEach(json::field);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json.end());
    }
}
