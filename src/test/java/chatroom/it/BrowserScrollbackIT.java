package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import chatroom.testing.Browser;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatPage;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Scrollback in Chromium: a page that embeds only the newest 20 messages loads the older ones from
 * {@code GET /history} as the reader scrolls to the top, in order, each once, without a gap, and keeps the
 * reader's place. A server of its own, to embed only 20 messages.
 */
class BrowserScrollbackIT extends ContainerSuite {
    private static final int EMBEDDED = 20;
    private static final int POSTED = 130;
    /** Enough scrolls for 130 messages at 50 a page, with room to spare; each one waits for its page. */
    private static final int MAX_SCROLLS = 20;
    private static final String EARLIER = "document.querySelector('#messages li.earlier')";

    @Test
    void scrollingUpLoadsEveryOlderMessageOnceInOrderAndKeepsThePlace() {
        Browser.requireInstalled();
        Map<String, String> params = new HashMap<>(ServerSuite.RELAXED); // 130 posts from one socket at once
        params.put("chat.page.history", String.valueOf(EMBEDDED));
        String run = unique("scroll");
        List<String> texts = IntStream.rangeClosed(1, POSTED).mapToObj(i -> run + " #" + i).toList();
        try (ChatServer server = start(params); Browser browser = Browser.open()) {
            try (ChatClient poster = WebSession.joined(server, unique("poster"), null)) {
                for (int i = 0; i < POSTED; i++) {
                    poster.send(ChatClient.envelope(texts.get(i), "c-" + i));
                }
                // A message is broadcast once stored, so its echo means all 130 are in the store.
                String last = "c-" + (POSTED - 1);
                poster.next(e -> "message".equals(e.getString("type")) && last.equals(e.getString("cid", null)));
            }
            ChatPage page = ChatPage.openAsNewVisitor(browser, server).join(unique("reader"));
            page.awaitMessage(texts.get(POSTED - 1));
            awaitNotLoading(browser);

            // One load: the message on top when the reader reached the top stays where it was on screen.
            Map<String, Object> top = scrollToTop(browser);
            String topId = (String) top.get("id");
            awaitPageLoaded(browser, topId);
            double after = ((Number) browser.script("return document.querySelector('#messages li.message[data-id=\"'"
                    + " + arguments[0] + '\"]').getBoundingClientRect().top;", topId)).doubleValue();
            assertEquals(((Number) top.get("top")).doubleValue(), after, 3.0,
                    "the previously top message did not jump");

            for (int i = 0; i < MAX_SCROLLS && !"end".equals(earlierState(browser)); i++) {
                awaitPageLoaded(browser, (String) scrollToTop(browser).get("id"));
            }
            assertEquals("end", earlierState(browser), "the beginning was reached within " + MAX_SCROLLS + " scrolls");
            assertEquals("Beginning of the conversation", browser.script("return " + EARLIER + ".textContent;"));

            List<ChatPage.Entry> ours = page.messages().stream().filter(e -> e.text().startsWith(run + " #")).toList();
            assertEquals(texts, ours.stream().map(ChatPage.Entry::text).toList(), "all 130, each once, in order");
            List<Long> ids = ours.stream().map(e -> Long.parseLong(e.id())).toList();
            assertEquals(ids.stream().sorted().distinct().toList(), ids, "in id order");
            assertEquals(List.of(), browser.consoleErrors(), "no console errors");
        }
    }

    /** Scrolls the message list to its very top; returns the id and on-screen top of the first message then. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> scrollToTop(Browser browser) {
        return (Map<String, Object>) browser.script("""
                var list = document.getElementById('messages');
                list.scrollTop = 0;
                var first = list.querySelector('li.message');
                return {id: first.getAttribute('data-id'), top: first.getBoundingClientRect().top};""");
    }

    /** Waits until the page that scroll asked for is in: older messages above {@code topId}, or the beginning. */
    private static void awaitPageLoaded(Browser browser, String topId) {
        browser.until("older messages above " + topId + " or the beginning", driver -> {
            String state = earlierState(browser);
            String first = (String) browser.script("return document.querySelector('#messages "
                    + "li.message').getAttribute('data-id');");
            boolean done = "end".equals(state) || "failed".equals(state) || !topId.equals(first);
            return done && !"loading".equals(state) ? Boolean.TRUE : null;
        });
        assertNotEquals("failed", earlierState(browser), "the page's request to /history failed");
    }

    private static void awaitNotLoading(Browser browser) {
        browser.until("no older page loading", driver -> "loading".equals(earlierState(browser)) ? null : Boolean.TRUE);
    }

    private static String earlierState(Browser browser) {
        return (String) browser.script("var e = " + EARLIER + "; return e.getAttribute('data-state') || 'idle';");
    }
}
