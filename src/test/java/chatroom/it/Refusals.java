package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;

/** Assertions on the server's chat.v1 {@code error} envelopes. */
final class Refusals {
    private Refusals() {
    }

    /** An error of this code, carrying the refused message's cid (null: none). */
    static void assertError(JsonObject error, String code, String cid) {
        assertEquals(code, error.getString("code"), error.toString());
        assertEquals(cid, error.getString("cid", null), "the error carries the refused message's cid: " + error);
    }
}
