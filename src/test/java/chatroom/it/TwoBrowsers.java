package chatroom.it;

import static chatroom.it.ServerSuite.unique;

import chatroom.testing.Browser;
import chatroom.testing.ChatPage;
import chatroom.testing.ChatServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Two Chromiums shared by the tests of a class (starting one costs a second or two); each test comes in
 * through them as new visitors. Without Chromium the class is skipped (or fails when CI=true).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoBrowsers {
    Browser first;
    Browser second;

    record Visitors(ChatPage alice, String aliceName, ChatPage bob, String bobName) {
    }

    @BeforeAll
    void openBrowsers() {
        Browser.requireInstalled();
        first = Browser.open();
        second = Browser.open();
    }

    @AfterAll
    void closeBrowsers() {
        try {
            if (second != null) {
                second.close();
            }
        } finally {
            if (first != null) {
                first.close();
            }
        }
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
