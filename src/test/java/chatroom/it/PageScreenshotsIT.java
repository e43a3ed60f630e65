package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.testing.Browser;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatPage;
import chatroom.testing.EmbeddedJetty;
import chatroom.testing.WebSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's screenshots: a short conversation seen by Bob, at desktop size (1280x800) and phone size, saved
 * to target/screenshots/. With -Dchat.screenshots.docs=true they are copied to docs/ as well (the README gives
 * the command). Jetty only: this is a picture, not a contract; BrowserPageIT checks both containers.
 */
class PageScreenshotsIT {
    @RegisterExtension
    static final TwoBrowsers browsers = new TwoBrowsers();

    private static final Path DOCS = Path.of("docs");

    @Test
    void desktopAndPhoneScreenshotsOfAConversation() throws IOException {
        // A server of its own, so the names are the plain ones a reader expects.
        try (EmbeddedJetty server = EmbeddedJetty.start(ServerSuite.RELAXED);
             ChatClient carol = WebSession.joined(server, "Carol", null)) {
            ChatPage alice = ChatPage.openAsNewVisitor(browsers.first(), server).join("Alice");
            ChatPage bob = ChatPage.openAsNewVisitor(browsers.second(), server).join("Bob");
            bob.awaitUser("Alice");
            List<String[]> conversation = List.of(
                    new String[] {"Alice", "Morning! Did the release go out?"},
                    new String[] {"Bob", "Yes, twenty minutes ago"},
                    new String[] {"Bob", "Notes are here: https://example.com/chatroom/releases/1.4"},
                    new String[] {"Carol", "Nice. The unread count in the tab title is my favourite part"},
                    new String[] {"Alice", "Thanks Bob, reading them now"},
                    new String[] {"Alice", "One question: does resume still work behind the proxy?"},
                    new String[] {"Bob", "It does, the page reconnects with ?since= and nothing is lost"});
            for (String[] line : conversation) {
                switch (line[0]) {
                    case "Alice" -> alice.typeAndPressEnter(line[1]);
                    case "Bob" -> bob.typeAndPressEnter(line[1]);
                    default -> carol.send(ChatClient.envelope(line[1], "c-" + line[1].hashCode()));
                }
                bob.awaitMessage(line[1]); // one at a time, so the order is the one written here
            }
            alice.awaitMessage(conversation.get(conversation.size() - 1)[1]);

            Browser browser = bob.browser();
            browser.emulateViewport(Browser.DESKTOP, 1, false);
            try {
                assertEquals(Browser.DESKTOP.getWidth(), ((Number) browser.script("return window.innerWidth;"))
                        .intValue());
                publish(browser.screenshot("screenshot-desktop"));
                browser.emulateViewport(Browser.PHONE, 2, true);
                browser.until("the phone layout", d -> ((Number) browser.script("return window.innerWidth;")).intValue()
                        == Browser.PHONE.getWidth());
                bob.browser().script("document.getElementById('messages').scrollTop = 1e9;");
                publish(browser.screenshot("screenshot-phone"));
            } finally {
                browser.clearViewport();
            }
        }
    }

    private static void publish(Path screenshot) throws IOException {
        if (Boolean.getBoolean("chat.screenshots.docs")) {
            Files.createDirectories(DOCS);
            Files.copy(screenshot, DOCS.resolve(screenshot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
