package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chatroom.testing.Browser;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatPage;
import chatroom.testing.WebSession;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.NoAlertPresentException;

/**
 * Issue 10 finding 9 in a real Chromium: messages sent raw on the socket (no HTML escaping there any more) are
 * still shown as text when the page embeds them in its history, and the page runs under its
 * Content-Security-Policy without a single violation (Chromium reports each one as a console error).
 */
class BrowserPageSafetyIT extends ServerSuite {
    Browser browser;

    @BeforeAll
    void openBrowser() {
        Browser.requireInstalled();
        browser = Browser.open();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void embeddedHistoryShowsMarkupAsTextUnderTheContentSecurityPolicy() {
        String tag = unique("");
        List<String> hostile = List.of("<<<<" + tag, "</script><script>alert(1)</script>" + tag,
                "&amp; \u2028 &lt;" + tag);
        try (ChatClient sender = WebSession.joined(server, unique("raw"), null)) {
            for (String text : hostile) {
                sender.send(ChatClient.envelope(text, "raw-" + hostile.indexOf(text)));
                assertEquals(text, sender.next("message").getString("text"));
            }
        }
        ChatPage page = ChatPage.openAsNewVisitor(browser, server).join(unique("reader"));
        for (String text : hostile) {
            assertEquals(text, page.awaitMessage(text).text(), "shown literally from the embedded history");
        }
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert(), "no script ran");
        assertEquals(List.of(), browser.consoleErrors(), "no CSP violation, no error");
    }
}
