package chatroom.web;

import chatroom.room.Rooms;
import chatroom.wire.JsonText;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /rooms}: the rooms people are in, on every node, with how many are in each, busiest first and at most
 * {@value Rooms#LISTED_AT_MOST}: {@code {"rooms":[{"name":"general","online":12}],"default":"general"}}.
 */
@WebServlet("/rooms")
public class RoomsServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatApplication.Services services = ChatApplication.services();
        StringBuilder rooms = new StringBuilder("[");
        for (Rooms.Listing listing : services.rooms().rooms()) {
            if (rooms.length() > 1) {
                rooms.append(',');
            }
            rooms.append(JsonText.object().field("name", listing.name()).field("online", listing.online()).end());
        }
        String json = JsonText.object()
                .raw("rooms", rooms.append(']').toString())
                .field("default", services.settings().rooms().defaultRoom())
                .field("open", services.settings().rooms().open())
                .end();
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }
}
