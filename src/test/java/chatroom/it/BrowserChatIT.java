package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.Browser;
import chatroom.testing.ChatPage;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/**
 * Two real browsers on the real page: the nickname form, presence, sending with Enter and with the button,
 * rendering. The room is shared by the tests, so each looks only at its own messages.
 */
class BrowserChatIT extends ServerSuite {
    @RegisterExtension
    static final TwoBrowsers browsers = new TwoBrowsers();

    @Test
    void twoVisitorsChatThroughThePage() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        ChatPage bob = visitors.bob();
        String aliceName = visitors.aliceName();
        String bobName = visitors.bobName();
        assertEquals(List.of(bobName + " (you)", aliceName), bob.users(), "own entry first, then the others");

        String hello = "Hello from Alice, sent with Enter";
        alice.typeAndPressEnter(hello);
        bob.awaitMessage(hello);
        String reply = "Hi Alice! Bob here, also with Enter";
        bob.typeAndPressEnter(reply);
        alice.awaitMessage(reply);
        String clicked = "And this one with the Send button";
        alice.typeAndClickSend(clicked);
        bob.awaitMessage(clicked);

        List<String> sent = List.of(hello, reply, clicked);
        for (ChatPage page : List.of(alice, bob)) {
            assertShown(page, hello, aliceName, page == alice);
            assertShown(page, reply, bobName, page == bob);
            assertShown(page, clicked, aliceName, page == alice);
            assertEquals(List.of(hello, reply, clicked), texts(page, sent),
                    "every message once, in send order, none pending");
        }
        assertEquals(ids(alice, sent), ids(bob, sent), "both browsers show the same messages under the same ids");
        assertEquals("", alice.browser().driver().findElement(By.id("text")).getDomProperty("value"),
                "input cleared after send");

        String container = server.containerName().toLowerCase(Locale.ROOT);
        screenshots(alice, container + "-alice");
        screenshots(bob, container + "-bob");
        assertEquals(List.of(), browsers.first().consoleErrors(), "no errors in alice's console");
        assertEquals(List.of(), browsers.second().consoleErrors(), "no errors in bob's console");
    }

    @Test
    void markupInAMessageIsShownAsText() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        ChatPage bob = visitors.bob();

        String hostile = "<img src=x onerror=alert(1)>";
        alice.typeAndPressEnter(hostile);
        for (ChatPage page : List.of(alice, bob)) {
            assertEquals(hostile, page.awaitMessage(hostile).text(), "shown literally");
            assertEquals(0L, page.browser().script("return document.querySelectorAll('#messages img').length;"),
                    "no element made from the text");
            assertThrows(NoAlertPresentException.class, () -> page.browser().driver().switchTo().alert(),
                    "no script ran");
        }
        assertEquals(List.of(), browsers.first().consoleErrors(), "no request for the image, no errors");
        assertEquals(List.of(), browsers.second().consoleErrors(), "no request for the image, no errors");
    }

    @Test
    void churnNeverPushesMessagesOutOfThePage() throws Exception {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String text = "before the churn " + i + " " + visitors.aliceName();
            alice.typeAndPressEnter(text);
            alice.awaitMessage(text);
            sent.add(text);
        }
        long linesBefore = (Long) alice.browser().script("return document.querySelectorAll('#messages li').length;");
        // One hostile client: 300 connect/close cycles as fast as it can, and 50 named visitors come and go.
        for (int i = 0; i < 300; i++) {
            chatroom.testing.RawWebSocket.connect(server.socketUri(null), 0).close();
        }
        for (int i = 0; i < 50; i++) {
            chatroom.testing.WebSession.joined(server, "churn-" + i + "-" + visitors.aliceName(), null).close();
        }
        chatroom.testing.ServerProbe probe = new chatroom.testing.ServerProbe(server);
        // The list settles on the room's exact count (the two pages, and whoever earlier tests left connected).
        alice.browser().until("the online count matches the room", driver -> {
            int connections = probe.health().getInt("connections");
            Object shown = alice.browser().script("return document.getElementById('user-count').textContent;");
            return String.valueOf(connections).equals(shown);
        });
        assertEquals(sent, texts(alice, sent), "every message still shown, in order");
        assertEquals(linesBefore, alice.browser().script("return document.querySelectorAll('#messages li').length;"),
                "presence added no line to the message list");
        assertEquals(List.of(), browsers.first().consoleErrors(), "no errors in alice's console");
    }

    private static void assertShown(ChatPage page, String text, String from, boolean own) {
        ChatPage.Entry entry = page.awaitMessage(text);
        assertEquals(from, entry.from(), "sender of \"" + text + "\"");
        assertEquals(own, entry.own(), "\"" + text + "\" marked own only for its sender");
        assertTrue(!entry.pending(), "confirmed, not pending");
    }

    /** The texts of this test's messages as the page lists them (the shared room also holds earlier tests'). */
    private static List<String> texts(ChatPage page, List<String> ours) {
        return page.messages().stream().map(ChatPage.Entry::text).filter(ours::contains).toList();
    }

    private static List<String> ids(ChatPage page, List<String> ours) {
        return page.messages().stream().filter(entry -> ours.contains(entry.text())).map(ChatPage.Entry::id).toList();
    }

    private static void screenshots(ChatPage page, String name) {
        Browser browser = page.browser();
        browser.screenshot(name + "-desktop");
        browser.resize(Browser.PHONE);
        try {
            assertEquals(Browser.PHONE.getWidth(), ((Number) browser.script("return window.innerWidth;")).intValue(),
                    "the page is laid out at phone width");
            browser.screenshot(name + "-phone");
        } finally {
            browser.resize(Browser.DESKTOP);
        }
    }
}
