package chatroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import chatroom.wire.JsonText;
import jakarta.json.Json;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class IndexServletTest {
    @Test
    void jsonForTheScriptElementCannotCloseItAndIsStillTheSameJson() {
        String text = "</script><script>alert(1)</script><!-- & \u2028\u2029";
        String json = JsonText.object().field("text", text).end();
        String embedded = IndexServlet.forScriptElement("[" + json + "]");
        assertFalse(embedded.contains("<") || embedded.contains(">") || embedded.contains("&")
                || embedded.contains("\u2028") || embedded.contains("\u2029"), embedded);
        assertEquals(text, Json.createReader(new StringReader(embedded)).readArray().getJsonObject(0)
                .getString("text"));
    }
}
