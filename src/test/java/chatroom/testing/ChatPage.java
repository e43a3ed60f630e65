package chatroom.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The chat page as a visitor uses it, in one {@link Browser}: through the ids and classes index.jsp and chat.js
 * promise (nickname form, #status, #messages, #users, #text, #send). Reads go through one script each, so a
 * list that changes while it is read cannot fail with a stale element.
 */
public final class ChatPage {
    /** A reconnect may sit out a backoff of up to 10 s after the server is back. */
    public static final Duration RECONNECT_WAIT = Duration.ofSeconds(25);

    /** One li.message: id is null while it is pending (only its cid is known). */
    public record Entry(String id, String cid, String from, String text, boolean own, boolean pending) {
        public boolean confirmed() {
            return id != null;
        }
    }

    private static final String READ_MESSAGES = """
            return Array.from(document.querySelectorAll('#messages li.message')).map(function (li) {
              var from = li.querySelector('.from');
              var text = li.querySelector('.text');
              return {
                id: li.getAttribute('data-id'),
                cid: li.getAttribute('data-cid'),
                from: from ? from.textContent : null,
                text: text ? text.textContent : null,
                own: li.classList.contains('own'),
                pending: li.classList.contains('pending')
              };
            });""";

    private final Browser browser;
    private final ChatServer server;

    private ChatPage(Browser browser, ChatServer server) {
        this.browser = browser;
        this.server = server;
    }

    /** Loads the page as a first-time visitor (no cookies, so a new HttpSession): it opens on the nickname form. */
    public static ChatPage openAsNewVisitor(Browser browser, ChatServer server) {
        browser.clearCookies();
        browser.get(server.pageUri());
        ChatPage page = new ChatPage(browser, server);
        browser.until("the nickname form is shown", driver -> driver.findElement(By.id("nickname")).isDisplayed());
        return page;
    }

    /** Loads a room's page ({@code /r/<room>}) as a first-time visitor: it opens on the nickname form. */
    public static ChatPage openRoomAsNewVisitor(Browser browser, ChatServer server, String room) {
        browser.clearCookies();
        browser.get(server.pageUri().resolve("r/" + room));
        ChatPage page = new ChatPage(browser, server);
        browser.until("the nickname form is shown", driver -> driver.findElement(By.id("nickname")).isDisplayed());
        return page;
    }

    /** The page as it is now in this browser (after it moved to another room by itself). */
    public static ChatPage current(Browser browser, ChatServer server) {
        return new ChatPage(browser, server);
    }

    public Browser browser() {
        return browser;
    }

    /** Picks the nickname through the form and waits until the page is connected under it. */
    public ChatPage join(String nickname) {
        WebElement input = browser.driver().findElement(By.id("nickname"));
        input.clear();
        input.sendKeys(nickname);
        browser.driver().findElement(By.id("nickname-submit")).click();
        awaitConnected(Browser.WAIT);
        browser.until(nickname + " is listed as self, got " + users(), driver -> (nickname + " (you)")
                .equals(selfUser()));
        return this;
    }

    public String statusText() {
        return (String) browser.script("return document.getElementById('status').textContent;");
    }

    public String statusClass() {
        return (String) browser.script("return document.getElementById('status').className;");
    }

    public void awaitConnected(Duration timeout) {
        browser.until("status Connected on " + server.containerName(), timeout,
                driver -> statusClass().contains("connected") && "Connected".equals(statusText()));
    }

    /** Waits until the status says the page is trying to get back; returns what it says. */
    public String awaitReconnecting() {
        return browser.until("status reconnecting", driver -> {
            String text = statusText();
            return statusClass().contains("reconnecting") || text.startsWith("Reconnecting") ? text : null;
        });
    }

    /** The name the page shows as "You are ...". */
    public String me() {
        return (String) browser.script("return document.getElementById('me-name').textContent;");
    }

    /** The online list as shown: own entry as "name (you)". */
    @SuppressWarnings("unchecked")
    public List<String> users() {
        return (List<String>) browser.script(
                "return Array.from(document.querySelectorAll('#users li.user')).map(function (li) { return "
                + "li.textContent; });");
    }

    private String selfUser() {
        return (String) browser.script("var self = document.querySelector('#users li.user.self'); return self ? "
                + "self.textContent : null;");
    }

    public void awaitUser(String name) {
        browser.until(name + " in the online list", driver -> users().contains(name));
    }

    public void typeAndPressEnter(String text) {
        input().sendKeys(text, Keys.ENTER);
    }

    public void typeAndClickSend(String text) {
        input().sendKeys(text);
        browser.driver().findElement(By.id("send")).click();
    }

    private WebElement input() {
        WebElement input = browser.driver().findElement(By.id("text"));
        input.clear();
        return input;
    }

    @SuppressWarnings("unchecked")
    public List<Entry> messages() {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) browser.script(READ_MESSAGES);
        return rows.stream()
                .map(row -> new Entry((String) row.get("id"), (String) row.get("cid"), (String) row.get("from"),
                (String) row.get("text"), (Boolean) row.get("own"), (Boolean) row.get("pending"))).toList();
    }

    /** The confirmed message (one with a server id) with exactly this text. */
    public Entry awaitMessage(String text) {
        return awaitMessage(text, Browser.WAIT);
    }

    public Entry awaitMessage(String text, Duration timeout) {
        return browser.until("confirmed message \"" + text + "\"", timeout, driver -> messages().stream()
                .filter(entry -> entry.confirmed() && text.equals(entry.text()))
                .findFirst().orElse(null));
    }

    public Entry awaitPending(String text) {
        return browser.until("pending message \"" + text + "\"", driver -> messages().stream()
                .filter(entry -> entry.pending() && text.equals(entry.text()))
                .findFirst().orElse(null));
    }

    /** Whether the newest message is inside the visible part of the message list. */
    /** The line a page shows where the server could not replay everything (a {@code reset}). */
    public boolean hasGapNotice() {
        return !browser.driver().findElements(By.cssSelector("#messages li.system.notice-line")).isEmpty();
    }

    public boolean newestMessageInView() {
        return (Boolean) browser.script("""
                var list = document.getElementById('messages');
                var items = list.querySelectorAll('li.message');
                if (items.length === 0) { return true; }
                var box = list.getBoundingClientRect();
                var last = items[items.length - 1].getBoundingClientRect();
                return last.bottom <= box.bottom + 1 && last.top >= box.top - 1;""");
    }
}
