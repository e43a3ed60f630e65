package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import chatroom.testing.Browser;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatPage;
import chatroom.testing.WebSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.openqa.selenium.NoAlertPresentException;

/**
 * In a real Chromium: messages sent raw on the socket (no HTML escaping there) are still shown as text when the
 * page embeds them in its history, and the page runs under its Content-Security-Policy without a single violation
 * (Chromium reports each one as a console error). A browser per container: a page of the first container's
 * stopped server would go on reconnecting into the console the second run reads.
 */
class BrowserPageSafetyIT extends ServerSuite {
    Browser browser;

    @BeforeParameterizedClassInvocation
    void openBrowser() {
        Browser.requireInstalled();
        browser = Browser.open();
    }

    @AfterParameterizedClassInvocation
    void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
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
