package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatPage;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Nothing lost", seen from the page: it rides out a server restart on the same port, and a page opened
 * late shows what was said before it. Each test gets a fresh server (empty history).
 */
class BrowserResumeIT extends ContainerSuite {
    @RegisterExtension
    static final TwoBrowsers browsers = new TwoBrowsers();

    ChatServer server;

    @BeforeEach
    void startServer() {
        server = start(ServerSuite.RELAXED);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Test
    void pageRidesOutAServerRestartOnTheSamePort() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        ChatPage bob = visitors.bob();
        String before = "said before the restart";
        alice.typeAndPressEnter(before);
        bob.awaitMessage(before);

        int port = server.port();
        server.close();
        server = null;
        alice.awaitReconnecting();
        bob.awaitReconnecting();
        String whileDown = "typed while the server was down";
        bob.typeAndPressEnter(whileDown);
        assertTrue(bob.awaitPending(whileDown).own(), "kept on the page, marked as not yet sent");

        server = container.start(ServerSuite.RELAXED, port);
        alice.awaitConnected(ChatPage.RECONNECT_WAIT);
        bob.awaitConnected(ChatPage.RECONNECT_WAIT);
        // The restarted server knows neither the session nor the name: each page claims its name again.
        assertEquals(visitors.aliceName(), alice.me(), "alice is still alice, not a guest");
        assertEquals(visitors.bobName(), bob.me(), "bob is still bob, not a guest");
        // Ids keep increasing across the restart, so whichever page comes back first, both show the queued
        // message, once, from bob.
        for (ChatPage page : List.of(alice, bob)) {
            ChatPage.Entry queued = page.awaitMessage(whileDown);
            assertEquals(visitors.bobName(), queued.from(), "the queued message went out after the restart");
            assertEquals(page == bob, queued.own());
        }
        String after = "said after the restart";
        alice.typeAndPressEnter(after);
        for (ChatPage page : List.of(alice, bob)) {
            ChatPage.Entry entry = page.awaitMessage(after);
            assertEquals(visitors.aliceName(), entry.from());
            assertEquals(page == alice, entry.own());
            List<String> texts = page.messages().stream().map(ChatPage.Entry::text).toList();
            assertEquals(1, texts.stream().filter(whileDown::equals).count(), "queued one sent once: " + texts);
            assertTrue(texts.contains(before), "what was said before the restart stays on the page: " + texts);
            assertTrue(page.hasGapNotice(), "the page says some messages may be missing");
        }
        String bobNow = bob.me();
        alice.awaitUser(bobNow);
        browsers.first().screenshot("resume-after-restart-alice");
        browsers.second().screenshot("resume-after-restart-bob");
    }

    @Test
    void pageOpenedLaterShowsTheFiftyEarlierMessagesInOrder() {
        List<String> texts = IntStream.rangeClosed(1, 50)
                .mapToObj(i -> String.format("message %02d of 50", i)).toList();
        String carolName = unique("carol");
        try (ChatClient carol = new WebSession(server).nickname(carolName).connectChat(null)) {
            carol.next("welcome");
            texts.forEach(carol::send);
            carol.next(e -> "message".equals(e.getString("type")) && texts.get(49).equals(e.getString("text")));

            ChatPage dave = ChatPage.openAsNewVisitor(browsers.first(), server).join(unique("dave"));
            List<ChatPage.Entry> shown = dave.messages();
            assertEquals(texts, shown.stream().map(ChatPage.Entry::text).toList(), "all 50, in order");
            long previous = 0;
            for (ChatPage.Entry entry : shown) {
                assertEquals(carolName, entry.from());
                assertTrue(entry.confirmed() && !entry.own(), entry.toString());
                long id = Long.parseLong(entry.id());
                assertTrue(id > previous, "ids increase: " + shown);
                previous = id;
            }
            assertTrue(dave.newestMessageInView(), "the page opens scrolled to the newest message");

            // The socket resumed after the last message shown: the next one arrives once, nothing is replayed twice.
            String next = "message 51, live";
            carol.send(next);
            dave.awaitMessage(next);
            List<String> now = dave.messages().stream().map(ChatPage.Entry::id).toList();
            assertEquals(51, now.size(), "no duplicates: " + now);
            assertEquals(51, now.stream().distinct().count(), "no duplicates: " + now);
        }
    }
}
