package chatroom.it;

import static chatroom.it.ServerSuite.unique;

import chatroom.testing.Browser;
import chatroom.testing.ChatPage;
import chatroom.testing.ChatServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two Chromiums shared by every test of a class, on every container it runs in (starting one costs a second or
 * two); each test comes in through them as new visitors. A class takes them with
 * {@code @RegisterExtension static final TwoBrowsers browsers = new TwoBrowsers();}. Without Chromium the class
 * is skipped (or fails when CI=true).
 */
final class TwoBrowsers implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private Browser first;
    private Browser second;

    record Visitors(ChatPage alice, String aliceName, ChatPage bob, String bobName) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Browser.requireInstalled();
        first = Browser.open();
        second = Browser.open();
    }

    /**
     * Each test starts on blank pages with an empty console: a page left open by the test before (on the other
     * container's server, already stopped, it keeps trying to reconnect) must not log into this test's console.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        for (Browser browser : new Browser[] {first, second}) {
            browser.driver().get("about:blank");
            browser.consoleErrors();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (second != null) {
                second.close();
            }
        } finally {
            if (first != null) {
                first.close();
            }
            first = null;
            second = null;
        }
    }

    /** Alice's browser. */
    Browser first() {
        return first;
    }

    /** Bob's browser. */
    Browser second() {
        return second;
    }

    /** Alice in the first browser and Bob in the second, with fresh names, joined and each seeing the other online. */
    Visitors aliceAndBob(ChatServer server) {
        String aliceName = unique("alice");
        String bobName = unique("bob");
        ChatPage alice = ChatPage.openAsNewVisitor(first, server).join(aliceName);
        ChatPage bob = ChatPage.openAsNewVisitor(second, server).join(bobName);
        alice.awaitUser(bobName);
        bob.awaitUser(aliceName);
        return new Visitors(alice, aliceName, bob, bobName);
    }
}
