package chatroom.moderation;

import chatroom.wire.JsonText;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;

/**
 * One moderator action, as every node applies it and the audit records it. One flat record for every kind, so it
 * travels between nodes as one JSON object and lands in the audit as one row; each kind uses the fields it needs.
 *
 * @param id      unique in the deployment and growing with time ({@link ActionIds}); a ban's id is its action's
 * @param by      the moderator's name
 * @param at      when (epoch ms)
 * @param target  the person (a name), or the ban id a lift lifts
 * @param room    the room of a delete, purge or rules change; null otherwise
 * @param until   when a mute or ban ends (epoch ms; 0: a ban for good)
 * @param ids     the messages a delete or purge removes
 * @param addresses the client keys a ban covers
 * @param byAddress a ban that also covers the addresses the person used (each node adds those it saw)
 */
public record Action(long id, String by, long at, Kind kind, String target, String room, String reason, long until,
                     List<Long> ids, List<String> addresses, boolean byAddress, int slowModeSeconds,
                     boolean guestsMayPost) {

    /** What a moderator did; {@link #RESERVE} is the server's own note of a signed-in name, not audited. */
    public enum Kind {
        DELETE, PURGE, KICK, MUTE, UNMUTE, BAN, LIFT, RULES, RESERVE;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public Action {
        ids = ids == null ? List.of() : List.copyOf(ids);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    static Action of(long id, String by, long at, Kind kind, String target, String room, String reason) {
        return new Action(id, by, at, kind, target, room, reason, 0, List.of(), List.of(), false, 0, true);
    }

    Action until(long until) {
        return new Action(id, by, at, kind, target, room, reason, until, ids, addresses, byAddress, slowModeSeconds,
                guestsMayPost);
    }

    Action ids(List<Long> ids) {
        return new Action(id, by, at, kind, target, room, reason, until, ids, addresses, byAddress, slowModeSeconds,
                guestsMayPost);
    }

    Action addresses(List<String> addresses, boolean byAddress) {
        return new Action(id, by, at, kind, target, room, reason, until, ids, addresses, byAddress, slowModeSeconds,
                guestsMayPost);
    }

    Action rules(RoomRules rules) {
        return new Action(id, by, at, kind, target, room, reason, until, ids, addresses, byAddress,
                rules.slowModeSeconds(), rules.guestsMayPost());
    }

    RoomRules rules() {
        return new RoomRules(slowModeSeconds, guestsMayPost);
    }

    /** The JSON form that travels between nodes. */
    String toJson() {
        return JsonText.object()
                .field("id", id)
                .field("by", by)
                .field("at", at)
                .field("kind", kind.wire())
                .field("target", target)
                .field("room", room)
                .field("reason", reason)
                .field("until", until)
                .raw("ids", ids.toString().replace(" ", ""))
                .field("addresses", addresses)
                .field("byAddress", byAddress)
                .field("slowModeSeconds", slowModeSeconds)
                .field("guestsMayPost", guestsMayPost)
                .end();
    }

    /** Reads what {@link #toJson()} wrote. */
    static Action fromJson(String json) {
        JsonObject o;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            o = reader.readObject();
        }
        JsonArray ids = o.getJsonArray("ids");
        JsonArray addresses = o.getJsonArray("addresses");
        return new Action(o.getJsonNumber("id").longValue(), o.getString("by"), o.getJsonNumber("at").longValue(),
                Kind.ofWire(o.getString("kind")), text(o, "target"), text(o, "room"), text(o, "reason"),
                o.getJsonNumber("until").longValue(),
                ids.getValuesAs(JsonNumber.class).stream().map(JsonNumber::longValue).toList(),
                addresses.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList(),
                o.getBoolean("byAddress"), o.getInt("slowModeSeconds"), o.getBoolean("guestsMayPost"));
    }

    private static String text(JsonObject o, String name) {
        JsonValue value = o.get(name);
        return value instanceof JsonString string ? string.getString() : null;
    }
}
