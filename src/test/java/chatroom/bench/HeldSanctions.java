package chatroom.bench;

import chatroom.testing.ChatServer;
import chatroom.testing.SignIn;
import chatroom.testing.TestAccounts;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes a server hold many sanctions, through the moderation API as a moderator would: signed in as the test
 * realm's moderator, it bans {@code bans} names and mutes {@code mutes} others (none of them a load client's: those
 * are numbered guests) and sets the default room's rules, so the ban and mute checks on every post look through
 * full indexes. One request at a time, loopback only, bounded in count and time.
 */
final class HeldSanctions {
    /** The whole set-up's deadline; each request has its own of 10 s (WebSession). */
    private static final long DEADLINE_MILLIS = 300_000;
    private static final String ROOM = "general";
    private static final String OTHER_ROOM = "bench-read-only";

    private HeldSanctions() {
    }

    /** The name of the n-th sanctioned person of a kind, e.g. {@code bench-banned-0007}: never a guest's name. */
    static String name(String kind, int n) {
        return String.format(Locale.ROOT, "bench-%s-%04d", kind, n);
    }

    /**
     * Imposes them; returns what the server then lists ({@code bansHeld}, {@code mutesHeld}) and how long it took
     * ({@code setupS}). Fails (IllegalStateException) on any answer but the API's success.
     */
    static Map<String, Double> impose(ChatServer server, int bans, int mutes) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        try {
            WebSession moderator = SignIn.as(new WebSession(server), TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
            for (int i = 1; i <= bans; i++) {
                expect(201, moderator.json("POST", "moderation/bans",
                        "{\"user\":\"" + name("banned", i) + "\",\"reason\":\"benchmark\"}", null), deadline);
            }
            for (int i = 1; i <= mutes; i++) {
                expect(201, moderator.json("POST", "moderation/mutes",
                        "{\"user\":\"" + name("muted", i) + "\",\"minutes\":1440,\"reason\":\"benchmark\"}", null),
                        deadline);
            }
            // Slow mode off and guests allowed in the load's room, as by default but set by a moderator (the store
            // keeps a row; in memory rules equal to the default are dropped), and another room read-only, so the
            // rules the post check reads are not an empty map.
            expect(200, moderator.json("PUT", "moderation/rooms/" + ROOM,
                    "{\"slowModeSeconds\":0,\"guestsMayPost\":true}", null), deadline);
            expect(200, moderator.json("PUT", "moderation/rooms/" + OTHER_ROOM,
                    "{\"slowModeSeconds\":0,\"guestsMayPost\":false}", null), deadline);
            Map<String, Double> held = new LinkedHashMap<>();
            held.put("bansHeld", (double) count(moderator.json("GET", "moderation/bans", null, null), "bans"));
            held.put("mutesHeld", (double) count(moderator.json("GET", "moderation/mutes", null, null), "mutes"));
            held.put("setupS", (System.nanoTime() - start) / 1e9);
            return held;
        } catch (AssertionError e) { // WebSession's and SignIn's way of failing a test: here, the scenario's
            throw new IllegalStateException("imposing the sanctions failed: " + e.getMessage(), e);
        }
    }

    private static void expect(int status, HttpResponse<String> response, long deadline) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + " " + response.body());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the sanctions took longer than " + DEADLINE_MILLIS + " ms");
        }
    }

    private static int count(HttpResponse<String> list, String field) {
        if (list.statusCode() != 200) {
            throw new IllegalStateException("listing " + field + " answered " + list.statusCode() + " " + list.body());
        }
        try (JsonReader reader = Json.createReader(new StringReader(list.body()))) {
            return reader.readObject().getJsonArray(field).size();
        }
    }
}
