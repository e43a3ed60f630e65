package chatroom.web;

import chatroom.client.RequestSource;
import chatroom.moderation.Action;
import chatroom.moderation.Ban;
import chatroom.moderation.Moderation;
import chatroom.moderation.Mute;
import chatroom.moderation.RoomRules;
import chatroom.wire.JsonText;
import chatroom.wire.RoomName;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The moderation API under {@code /moderation/}: JSON in and out, for the page and for curl. Only a signed-in
 * moderator (role {@code chat-moderator}) of this origin gets past the door: 401 signed out, 403 otherwise. Not
 * behind the form login's constraint, so an API client gets a JSON answer, never a login page.
 *
 * <pre>
 * DELETE /moderation/messages/&lt;id&gt;?room=   POST /moderation/purge   POST /moderation/kick
 * POST|GET /moderation/mutes   DELETE /moderation/mutes/&lt;user&gt;
 * POST|GET /moderation/bans    DELETE /moderation/bans/&lt;id&gt;
 * PUT|GET /moderation/rooms/&lt;room&gt;   GET /moderation/audit?before=&amp;limit=
 * </pre>
 */
@WebServlet("/moderation/*")
public class ModerationServlet extends HttpServlet {
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int AUDIT_PAGE = 50;
    private static final int AUDIT_MAX_PAGE = 500;
    private static final int REASON_MAX_LENGTH = 500;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChatApplication.Services services = ChatApplication.services();
        if (request.getUserPrincipal() == null) {
            JsonError.send(response, 401, "signed_out", "sign in as a moderator first");
            return;
        }
        RequestSource source = RequestHost.current();
        String origin = request.getHeader("Origin");
        if (origin != null && !services.origins().permits(origin, source == null ? null : source.host())) {
            JsonError.send(response, 403, "forbidden", "not from another origin");
            return;
        }
        if (!request.isUserInRole(HandshakeConfigurator.MODERATOR_ROLE)) {
            JsonError.send(response, 403, "forbidden", "only moderators may do this");
            return;
        }
        String by = request.getUserPrincipal().getName();
        String[] path = pathOf(request);
        try {
            route(services.moderation(), by, request.getMethod(), path, request, response);
        } catch (Moderation.Problem problem) {
            JsonError.send(response, problem.status(), problem.code(), problem.getMessage());
        } catch (BadRequest bad) {
            JsonError.send(response, 400, "bad_request", bad.getMessage());
        }
    }

    private static void route(Moderation moderation, String by, String method, String[] path,
                              HttpServletRequest request, HttpServletResponse response)
            throws IOException, Moderation.Problem, BadRequest {
        String what = path.length > 0 ? path[0] : "";
        String which = path.length > 1 ? path[1] : null;
        switch (method + " " + what + (which == null ? "" : "/")) {
            case "DELETE messages/" -> {
                moderation.delete(by, room(request.getParameter("room")), number(which, "message id"));
                response.setStatus(204);
            }
            case "POST purge" -> {
                JsonObject body = body(request);
                int deleted = moderation.purge(by, user(body), integer(body, "minutes", 10),
                        body.containsKey("room") && !body.isNull("room") ? room(text(body, "room")) : null);
                JsonError.answer(response, 200, JsonText.object().field("deleted", deleted).end());
            }
            case "POST kick" -> {
                JsonObject body = body(request);
                moderation.kick(by, user(body), reason(body));
                response.setStatus(204);
            }
            case "POST mutes" -> {
                JsonObject body = body(request);
                String user = user(body);
                long until = moderation.mute(by, user, integer(body, "minutes", 10), reason(body));
                JsonError.answer(response, 201, JsonText.object().field("user", user).field("until", until).end());
            }
            case "GET mutes" -> JsonError.answer(response, 200,
                    JsonText.object().raw("mutes", array(moderation.mutes(), ModerationServlet::json)).end());
            case "DELETE mutes/" -> {
                moderation.unmute(by, which);
                response.setStatus(204);
            }
            case "POST bans" -> {
                JsonObject body = body(request);
                Integer minutes = body.containsKey("minutes") && !body.isNull("minutes")
                        ? integer(body, "minutes", 0) : null;
                String id = moderation.ban(by, user(body), minutes, reason(body),
                        body.containsKey("address") && body.get("address") == JsonValue.TRUE);
                JsonError.answer(response, 201, JsonText.object().field("id", id).end());
            }
            case "GET bans" -> JsonError.answer(response, 200,
                    JsonText.object().raw("bans", array(moderation.bans(), ModerationServlet::json)).end());
            case "DELETE bans/" -> {
                moderation.lift(by, which);
                response.setStatus(204);
            }
            case "PUT rooms/" -> {
                JsonObject body = body(request);
                String room = room(which);
                RoomRules now = moderation.rules(room);
                RoomRules rules = moderation.rules(by, room, new RoomRules(
                        integer(body, "slowModeSeconds", now.slowModeSeconds()),
                        body.containsKey("guestsMayPost") ? bool(body, "guestsMayPost") : now.guestsMayPost()));
                JsonError.answer(response, 200, json(rules));
            }
            case "GET rooms/" -> JsonError.answer(response, 200, json(moderation.rules(room(which))));
            case "GET audit" -> {
                String before = request.getParameter("before");
                String limit = request.getParameter("limit");
                int size = limit == null ? AUDIT_PAGE : (int) Math.min(AUDIT_MAX_PAGE, number(limit, "limit"));
                List<Action> entries = moderation.audit(before == null ? null : number(before, "before"),
                        Math.max(1, size));
                JsonError.answer(response, 200,
                        JsonText.object().raw("entries", array(entries, ModerationServlet::json)).end());
            }
            default -> JsonError.send(response, 404, "not_found", "no such moderation resource");
        }
    }

    /** The path after {@code /moderation/}, split; a name or id in it is URL-decoded by the container already. */
    private static String[] pathOf(HttpServletRequest request) {
        String info = request.getPathInfo();
        if (info == null || info.equals("/")) {
            return new String[0];
        }
        return info.substring(1).split("/", 2);
    }

    /** A request the API cannot read. */
    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static JsonObject body(HttpServletRequest request) throws IOException, BadRequest {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new BadRequest("send JSON (Content-Type: application/json)");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequest("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try (JsonReader reader = Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new BadRequest("the body is not a JSON object");
        }
    }

    private static String user(JsonObject body) throws BadRequest {
        String user = text(body, "user");
        if (user == null || user.isBlank() || user.length() > 64) {
            throw new BadRequest("\"user\" must name a person");
        }
        return user.strip();
    }

    private static String reason(JsonObject body) throws BadRequest {
        String reason = text(body, "reason");
        if (reason != null && reason.length() > REASON_MAX_LENGTH) {
            throw new BadRequest("\"reason\" is at most " + REASON_MAX_LENGTH + " characters");
        }
        return reason == null || reason.isBlank() ? null : reason.strip();
    }

    private static String text(JsonObject body, String name) throws BadRequest {
        JsonValue value = body.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new BadRequest("\"" + name + "\" must be a string");
    }

    private static int integer(JsonObject body, String name, int absent) throws BadRequest {
        JsonValue value = body.get(name);
        if (value == null || value == JsonValue.NULL) {
            return absent;
        }
        if (value instanceof JsonNumber number && number.isIntegral()
                && number.longValue() >= 0 && number.longValue() <= Integer.MAX_VALUE / 60_000) {
            return number.intValue();
        }
        throw new BadRequest("\"" + name + "\" must be a whole number from 0 to " + Integer.MAX_VALUE / 60_000);
    }

    private static boolean bool(JsonObject body, String name) throws BadRequest {
        JsonValue value = body.get(name);
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return value == JsonValue.TRUE;
        }
        throw new BadRequest("\"" + name + "\" must be true or false");
    }

    private static long number(String text, String what) throws BadRequest {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException | NullPointerException e) {
            throw new BadRequest(what + " must be a number");
        }
    }

    private static String room(String requested) throws BadRequest {
        String room = RoomName.parse(requested == null ? "" : requested);
        if (room == null) {
            if (requested == null || requested.isEmpty()) {
                return ChatApplication.services().settings().rooms().defaultRoom();
            }
            throw new BadRequest("no such room: " + RoomName.rule());
        }
        return room;
    }

    private static <T> String array(List<T> items, Function<T, String> json) {
        StringBuilder out = new StringBuilder("[");
        for (T item : items) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(json.apply(item));
        }
        return out.append(']').toString();
    }

    private static String json(Ban ban) {
        JsonText json = JsonText.object()
                .field("id", ban.id())
                .field("user", ban.name())
                .field("address", ban.addresses().isEmpty() ? null : ban.addresses().get(0))
                .field("addresses", ban.addresses())
                .field("by", ban.by())
                .field("reason", ban.reason())
                .field("since", ban.since());
        return (ban.until() == 0 ? json.raw("until", "null") : json.field("until", ban.until())).end();
    }

    private static String json(Mute mute) {
        return JsonText.object().field("user", mute.name()).field("until", mute.until()).field("by", mute.by())
                .field("reason", mute.reason()).field("since", mute.since()).end();
    }

    private static String json(RoomRules rules) {
        return JsonText.object().field("slowModeSeconds", rules.slowModeSeconds())
                .field("guestsMayPost", rules.guestsMayPost()).end();
    }

    private static String json(Action entry) {
        return JsonText.object()
                .field("id", entry.id())
                .field("by", entry.by())
                .field("action", entry.kind().name().toLowerCase(java.util.Locale.ROOT))
                .field("target", entry.target())
                .field("room", entry.room())
                .field("reason", entry.reason())
                .field("at", entry.at())
                .end();
    }
}
