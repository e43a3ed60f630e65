package chatroom.web;

import chatroom.wire.JsonText;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The project's HTTP error answer, {@code {"error":"<code>","message":"<for people>"}}, and its JSON answers. */
final class JsonError {
    private JsonError() {
    }

    static void send(HttpServletResponse response, int status, String code, String message) throws IOException {
        answer(response, status, JsonText.object().field("error", code).field("message", message).end());
    }

    static void answer(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }
}
