package chatroom.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Test
    void anyTextSurvivesARoundTripThroughAStandardParser() {
        for (String text : List.of("plain", "quote \" backslash \\ slash /", "tab\tnew\nline\rcr",
                "\u0000\u0001\u001f bell\u0007", "你好 👋🏽 𝄞", "</script><b>&amp;", "\u2028\u2029", "")) {
            String json = JsonText.object().field("text", text).end();
            assertEquals(text, parse(json).getString("text"), json);
        }
    }

    @Test
    void htmlCharactersAndLineSeparatorsAreWrittenAsThemselves() {
        // Output proportional to input: the socket is not HTML, so "<<<<" costs four bytes, not twenty-four.
        assertEquals("{\"text\":\"<<<<>&\u2028\u2029\"}", JsonText.object().field("text", "<<<<>&\u2028\u2029").end());
    }

    @Test
    void writesNumbersArraysAndSkipsNullStrings() {
        String json = JsonText.object().field("type", "welcome").field("lastId", 41)
                .field("users", List.of("alice", "bob")).field("cid", (String) null).end();
        assertEquals("{\"type\":\"welcome\",\"lastId\":41,\"users\":[\"alice\",\"bob\"]}", json);
    }
}
