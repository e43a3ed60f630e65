package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.Accessibility;
import chatroom.testing.Browser;
import chatroom.testing.ChatClient;
import chatroom.testing.ChatPage;
import chatroom.testing.ChatServer;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * What people expect of a chat page in two real browsers: links, mentions, the unread count while the
 * tab is hidden, grouping, a length counter that agrees with the server, keyboard use and an axe-core check. The
 * room is shared by the tests, so each looks only at its own messages.
 */
class BrowserPageIT extends ServerSuite {
    @RegisterExtension
    static final TwoBrowsers browsers = new TwoBrowsers();

    /** The server's default limit (web.xml): the counter must agree with it, code point for code point. */
    static final int MAX_LENGTH = 2000;
    static final String EMOJI = new String(Character.toChars(0x1F600));

    @Test
    void urlsBecomeSafeLinksAndNothingElseDoes() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        ChatPage bob = visitors.bob();
        String target = server.pageUri() + "static/chat.css";
        String text = "notes at " + target + ", not javascript:alert(1) nor data:text/html,<b>x</b> nor "
                + "<a href=\"http://evil.example\">x</a> nor hxxp://evil.example nor http://bank.example@evil.example";
        alice.typeAndPressEnter(text);

        ChatPage.Entry entry = bob.awaitMessage(text);
        assertEquals(text, entry.text(), "the text is shown exactly as sent");
        List<Map<String, Object>> links = links(bob, entry.id());
        assertEquals(1, links.size(), "only the http URL is a link: " + links);
        Map<String, Object> link = links.get(0);
        assertEquals(target, link.get("href"));
        assertEquals(target, link.get("text"), "the link shows the URL, the comma after it stays text");
        assertEquals("_blank", link.get("target"));
        assertEquals("noopener noreferrer", link.get("rel"));
        assertEquals(0L, bob.browser()
                .script("return document.querySelectorAll('#messages b, #messages a[href^=\"javascript\"], "
                + "#messages a[href^=\"data\"], #messages a[href*=\"evil\"]').length;"), "no element from the markup");
        assertThrows(NoAlertPresentException.class, () -> bob.browser().driver().switchTo().alert(), "no script ran");
        assertEquals(List.of(), browsers.first().consoleErrors(), "no errors in alice's console");
        assertEquals(List.of(), browsers.second().consoleErrors(), "no errors in bob's console");

        // Clickable: a click opens the URL in a new tab that cannot reach back into the chat (noopener).
        WebDriver driver = bob.browser().driver();
        String chatTab = driver.getWindowHandle();
        driver.findElement(By.cssSelector("#messages li.message[data-id='" + entry.id() + "'] .text a")).click();
        String opened = bob.browser().until("a new tab for the link", d -> d.getWindowHandles().stream()
                .filter(handle -> !handle.equals(chatTab)).findFirst().orElse(null));
        try {
            driver.switchTo().window(opened);
            bob.browser().until("the link's page loads in the new tab", d -> target.equals(d.getCurrentUrl()));
            assertEquals(Boolean.TRUE, bob.browser().script("return window.opener === null;"), "noopener");
        } finally {
            driver.close();
            driver.switchTo().window(chatTab);
            // The stylesheet opened there has no icon, so Chromium logged a 404 for /favicon.ico in that tab.
            browsers.second().consoleErrors();
        }
    }

    @Test
    void aMessageNamingYouIsHighlighted() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        String aliceName = visitors.aliceName();
        String mention = "hey @" + aliceName.toUpperCase() + ", look at this";
        String notAWord = "x" + aliceName + "y is not a mention";
        visitors.bob().typeAndPressEnter(mention);
        visitors.bob().typeAndPressEnter(notAWord);

        assertTrue(hasClass(alice, alice.awaitMessage(mention).id(), "mention"), "her name, any case, as a word");
        assertFalse(hasClass(alice, alice.awaitMessage(notAWord).id(), "mention"), "her name inside a word is not");
        assertFalse(hasClass(visitors.bob(), visitors.bob().awaitMessage(mention).id(), "mention"),
                "the sender's own view marks nothing");
    }

    @Test
    void theTitleCountsUnreadMessagesWhileTheTabIsHidden() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        ChatPage bob = visitors.bob();
        String seen = "read while alice looks";
        bob.typeAndPressEnter(seen);
        alice.awaitMessage(seen);
        assertEquals("Chatroom", alice.browser().driver().getTitle());
        // Mention notifications: switched on with the bell (the permission granted as a user would in the
        // browser's prompt), recorded by a stand-in for the Notification constructor, since a headless browser
        // shows none.
        ChromeDriver chrome = (ChromeDriver) alice.browser().driver();
        String origin = server.pageUri().resolve("/").toString().replaceAll("/$", "");
        chrome.executeCdpCommand("Browser.grantPermissions",
                Map.of("origin", origin, "permissions", List.of("notifications")));
        chrome.findElement(By.id("notify")).click();
        alice.browser()
                .until("the bell is on",
                d -> "true".equals(d.findElement(By.id("notify")).getDomAttribute("aria-pressed")));
        alice.browser().script("""
                window.shown = [];
                var Real = window.Notification;
                window.Notification = class extends Real {
                  constructor(title, options) { super(title, options); window.shown.push(title + ': ' + options.body); }
                };""");

        // Another tab in front hides the chat tab (document.visibilityState becomes "hidden"), as a user
        // switching tabs does. Its title is read through the DevTools protocol, without activating it. The tab
        // says when it is hidden through its title (a marker the page replaces at the next message), so bob
        // sends only once every message counts.
        alice.browser().script("""
                document.addEventListener('visibilitychange', function () {
                  if (document.visibilityState === 'hidden') { document.title = 'hidden'; }
                });""");
        WebDriver driver = alice.browser().driver();
        String chatTab = driver.getWindowHandle();
        String chatUrl = driver.getCurrentUrl();
        driver.switchTo().newWindow(WindowType.TAB);
        List<String> unread = List.of("first while away", "second while away, " + visitors.aliceName() + "?",
                "third while away");
        try {
            alice.browser()
                    .until("the chat tab is hidden", d -> "hidden".equals(tabTitle(alice.browser(), chatUrl))
                    ? true : null);
            unread.forEach(bob::typeAndPressEnter);
            bob.awaitMessage(unread.get(2));
            alice.browser().until("the hidden tab's title counts 3 unread, 1 mention",
                    d -> "(3, @1) Chatroom".equals(tabTitle(alice.browser(), chatUrl)) ? true : null);
        } finally {
            driver.close();
            driver.switchTo().window(chatTab);
        }
        alice.browser().until("the title resets once the tab is visible again", d -> "Chatroom".equals(d.getTitle()));
        String firstUnreadId = alice.awaitMessage(unread.get(0)).id();
        assertEquals("unread-divider", alice.browser().script("""
                var item = document.querySelector('#messages li.message[data-id="' + arguments[0] + '"]');
                var before = item.previousElementSibling;
                return before ? before.className : null;""", firstUnreadId),
                "the divider is right before the first unread");
        assertEquals(1L, alice.browser()
                .script("return document.querySelectorAll('#messages li.unread-divider').length;"));
        assertEquals(List.of(visitors.bobName() + " mentioned you: " + unread.get(1)), alice.browser()
                .script("return window.shown;"),
                "one notification, for the mention, while the tab was hidden");
    }

    @Test
    void consecutiveMessagesFromOneSenderShareOneHeader() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        ChatPage bob = visitors.bob();
        String run = unique("run");
        List<String> texts = List.of(run + " one", run + " two", run + " three", run + " bob cuts in", run + " four");
        for (int i = 0; i < texts.size(); i++) {
            (i == 3 ? bob : alice).typeAndPressEnter(texts.get(i));
            // Each waits for the one before, so the order is the send order on both pages.
            alice.awaitMessage(texts.get(i));
        }
        bob.awaitMessage(texts.get(4));
        List<Map<String, Object>> shown = headers(bob, texts);
        assertEquals(List.of(true, false, false, true, true), shown.stream().map(h -> h.get("headerShown")).toList(),
                "one header per run: " + shown);
        for (Map<String, Object> header : shown) {
            String from = texts.indexOf((String) header.get("text")) == 3 ? visitors.bobName() : visitors.aliceName();
            assertEquals(from, header.get("from"), "the sender stays readable to screen readers: " + header);
            assertTrue(((String) header.get("full")).matches(".*\\b20\\d\\d\\b.*"),
                    "full date and time on the time: " + header);
        }
        // A held touch on a message shows its full date and time (there is no hover on a phone).
        String id = bob.awaitMessage(texts.get(1)).id();
        longPress(bob, "#messages li.message[data-id='" + id + "'] .text");
        bob.browser().until("the full date shows after a long press", d -> (Boolean) bob.browser().script(
                "return document.querySelector('#messages li.message[data-id=\"' + arguments[0] + '\"] "
                + ".time.show-full') !== null;", id));
    }

    @Test
    void theCounterAndTheServerAgreeOnEmoji() {
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        ChatPage alice = visitors.alice();
        String atLimit = EMOJI.repeat(MAX_LENGTH);
        String overLimit = EMOJI.repeat(MAX_LENGTH + 1);

        // At the limit in code points (twice that in UTF-16 units, where the old counter said 2000 too many).
        setInput(alice, atLimit);
        assertEquals("0", counter(alice), "the counter counts an emoji as one character");
        alice.browser().driver().findElement(By.id("text")).sendKeys(Keys.ENTER);
        assertEquals(atLimit, visitors.bob().awaitMessage(atLimit).text(),
                "the server accepts what the counter allows");

        setInput(alice, overLimit);
        assertEquals("-1", counter(alice));
        alice.browser().driver().findElement(By.id("text")).sendKeys(Keys.ENTER);
        alice.browser().until("the page refuses it itself", d -> "Message too long".equals(
                alice.browser()
                .script("var n = document.getElementById('notice'); return n.hidden ? null : n.textContent;")));
        assertEquals(overLimit, alice.browser().driver().findElement(By.id("text")).getDomProperty("value"),
                "the text is kept");
        assertTrue(alice.messages().stream().noneMatch(entry -> overLimit.equals(entry.text())), "nothing was queued");

        // ...and the server refuses it too, had the page sent it.
        try (ChatClient client = WebSession.joined(server, unique("carol"), null)) {
            client.send(ChatClient.envelope(overLimit, "c-over"));
            JsonObject refusal = client.next("error");
            assertEquals("too_long", refusal.getString("code"));
            client.send(ChatClient.envelope(atLimit, "c-at"));
            assertEquals(atLimit, client.next(e -> "message".equals(e.getString("type"))
                    && "c-at".equals(e.getString("cid", null))).getString("text"));
        }
    }

    @Test
    void theKeyboardAloneIsEnough() {
        Browser first = browsers.first();
        ChatPage alice = ChatPage.openAsNewVisitor(first, server);
        String name = unique("keys");
        assertEquals("nickname", activeId(alice), "the form has the focus on arrival");
        first.driver().switchTo().activeElement().sendKeys(name, Keys.ENTER);
        alice.awaitConnected(Browser.WAIT);
        first.until("focus moves to the message input", d -> "text".equals(activeId(alice)));
        String text = "sent from the keyboard " + unique("k");
        first.driver().switchTo().activeElement().sendKeys(text, Keys.ENTER);
        alice.awaitMessage(text);

        // Tab order from the top of a freshly loaded page: rename, sign in, notifications, the message list
        // (scrollable, so reachable; links in earlier messages come next and are skipped here), the input, Send.
        first.driver().navigate().refresh();
        alice.awaitConnected(Browser.WAIT);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 100 && !order.contains("send"); i++) {
            new Actions(first.driver()).sendKeys(Keys.TAB).perform();
            if (!(Boolean) first.script("return document.activeElement.closest('#messages li') !== null;")) {
                order.add(activeId(alice));
            }
        }
        assertEquals(List.of("change-name", "sign-in", "notify", "messages", "text", "send"), order);

        // Back to "change name"; Enter opens the form with the focus in it, Escape cancels and returns to the input.
        for (int i = 0; i < 100 && !"change-name".equals(activeId(alice)); i++) {
            new Actions(first.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        }
        assertEquals("change-name", activeId(alice));
        first.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        first.until("the rename form has the focus", d -> "nickname".equals(activeId(alice)));
        first.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        first.until("Escape closes it", d -> !d.findElement(By.id("nickname-panel")).isDisplayed());
        assertEquals("text", activeId(alice), "focus is back in the message input");
        assertEquals(name, alice.me(), "the name did not change");
    }

    @Test
    void noSeriousAccessibilityViolations() {
        Browser first = browsers.first();
        Browser second = browsers.second();
        // The nickname form, as a first-time visitor sees it.
        ChatPage.openAsNewVisitor(first, server);
        assertNoSeriousViolations(first, "nickname form");

        // The chat with messages of every kind: own, others', a link, a mention, a run, join lines.
        TwoBrowsers.Visitors visitors = browsers.aliceAndBob(server);
        visitors.alice().typeAndPressEnter("see https://example.com/docs, " + visitors.bobName());
        visitors.alice().typeAndPressEnter("and a second line in the same run");
        visitors.bob().typeAndPressEnter("thanks!");
        visitors.alice().awaitMessage("thanks!");
        visitors.bob().awaitMessage("and a second line in the same run");
        assertNoSeriousViolations(second, "chat with messages");
        second.resize(Browser.PHONE);
        try {
            assertNoSeriousViolations(second, "phone layout");
        } finally {
            second.resize(Browser.DESKTOP);
        }

        // Reconnecting: a server of its own (same container) that goes away under the page.
        ChatServer leaving = start(ServerSuite.RELAXED);
        try {
            ChatPage dave = ChatPage.openAsNewVisitor(first, leaving).join(unique("dave"));
            dave.typeAndPressEnter("about to lose the server");
            dave.awaitMessage("about to lose the server");
            leaving.close();
            leaving = null;
            dave.awaitReconnecting();
            assertNoSeriousViolations(first, "reconnecting");
        } finally {
            if (leaving != null) {
                leaving.close();
            }
        }
    }

    /* ---------- helpers ---------- */

    private static void assertNoSeriousViolations(Browser browser, String state) {
        List<String> violations = Accessibility.seriousViolations(browser);
        assertEquals(List.of(), violations, "serious or critical axe-core violations on the " + state);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> links(ChatPage page, String id) {
        return (List<Map<String, Object>>) page.browser().script("""
                var item = document.querySelector('#messages li.message[data-id="' + arguments[0] + '"]');
                return Array.from(item.querySelectorAll('a')).map(function (a) {
                  return {href: a.href, text: a.textContent, target: a.target, rel: a.rel};
                });""", id);
    }

    private static boolean hasClass(ChatPage page, String id, String className) {
        return (Boolean) page.browser().script(
                "return document.querySelector('#messages li.message[data-id=\"' + arguments[0] + "
                + "'\"]').classList.contains(arguments[1]);",
                id, className);
    }

    /** Per message of ours, in page order: its text, sender, whether its header is visible, its time's full date. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> headers(ChatPage page, List<String> texts) {
        return (List<Map<String, Object>>) page.browser().script("""
                var texts = arguments[0];
                return Array.from(document.querySelectorAll('#messages li.message')).filter(function (li) {
                  return texts.indexOf(li.querySelector('.text').textContent) >= 0;
                }).map(function (li) {
                  var from = li.querySelector('.from');
                  var box = from.getBoundingClientRect();
                  return {text: li.querySelector('.text').textContent, from: from.textContent,
                          headerShown: box.width > 1 && box.height > 1, full: li.querySelector('.time').title};
                });""", texts);
    }

    /** A finger held on the element until the page reacts, through the DevTools protocol's touch input. */
    private static void longPress(ChatPage page, String selector) {
        Browser browser = page.browser();
        @SuppressWarnings("unchecked")
        Map<String, Object> point = (Map<String, Object>) browser.script("""
                var box = document.querySelector(arguments[0]).getBoundingClientRect();
                return {x: box.left + box.width / 2, y: box.top + box.height / 2};""", selector);
        Map<String, Object> touch = Map.of("x", point.get("x"), "y", point.get("y"));
        ChromeDriver driver = (ChromeDriver) browser.driver();
        driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 1));
        driver.executeCdpCommand("Input.dispatchTouchEvent",
                Map.of("type", "touchStart", "touchPoints", List.of(touch)));
        try {
            browser.until("the long press is noticed", d -> (Boolean) browser.script(
                    "return document.querySelector('#messages .time.show-full') !== null;"));
        } finally {
            driver.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchEnd", "touchPoints", List.of()));
            driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", false));
        }
    }

    @SuppressWarnings("unchecked")
    private static String tabTitle(Browser browser, String url) {
        Map<String, Object> targets = ((ChromeDriver) browser.driver())
                .executeCdpCommand("Target.getTargets", Map.of());
        return ((List<Map<String, Object>>) targets.get("targetInfos")).stream()
                .filter(info -> "page".equals(info.get("type")) && url.equals(info.get("url")))
                .map(info -> (String) info.get("title")).findFirst().orElse(null);
    }

    private static void setInput(ChatPage page, String text) {
        // chromedriver cannot type characters outside the Basic Multilingual Plane: set the value as a paste would.
        page.browser().script("""
                var input = document.getElementById('text');
                input.focus();
                input.value = arguments[0];
                input.dispatchEvent(new Event('input', {bubbles: true}));""", text);
    }

    private static String counter(ChatPage page) {
        return (String) page.browser().script(
                "var c = document.getElementById('counter'); return c.hidden ? null : c.textContent;");
    }

    private static String activeId(ChatPage page) {
        return (String) page.browser().script("return document.activeElement ? document.activeElement.id : null;");
    }
}
