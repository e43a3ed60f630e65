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
import chatroom.testing.SignIn;
import chatroom.testing.TestAccounts;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Moderation as people do it in Chromium: a moderator signs in through the form and, from the page's own controls,
 * deletes a guest's message, mutes and unmutes them, sets slow mode and bans them; the guest's page shows each at
 * once and, banned, stays away. One walk through, since browsers are the slow part; axe-core on the way.
 */
class ModerationBrowserIT extends ServerSuite {
    @RegisterExtension
    static final TwoBrowsers browsers = new TwoBrowsers();

    /** A deleted message leaves every open page within this (DESIGN.md, "Moderation"). */
    private static final long AT_ONCE_MS = 1000;

    /** Counts the page's sockets from before its scripts run, so a reload's first attempt counts too. */
    private static final String COUNT_SOCKETS = """
            if (!('socketsOpened' in window)) {
              window.socketsOpened = 0;
              const Real = window.WebSocket;
              window.WebSocket = class extends Real {
                constructor(...args) { super(...args); window.socketsOpened++; }
              };
            }""";

    @Test
    void aModeratorDeletesMutesSlowsAndBansAGuestFromThePage() {
        String room = "mod-" + container.name().toLowerCase();
        String guestName = unique("vera"); // a guest who picked a name ("guest-" is the drawn names' prefix)
        Browser modBrowser = browsers.first();
        Browser guestBrowser = browsers.second();
        ((ChromeDriver) guestBrowser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", COUNT_SOCKETS));
        ChatPage guest = ChatPage.openRoomAsNewVisitor(guestBrowser, server, room).join(guestName);
        signInThroughTheForm(modBrowser, room);
        ChatPage mod = ChatPage.current(modBrowser, server);
        modBrowser.until(guestName + " online, with a Moderate button", d -> !d.findElements(moderateButton(guestName))
                .isEmpty());
        try {
            deleteThroughTheConfirmDialog(mod, guest);
            muteAndUnmute(mod, guest, guestName);
            slowMode(mod, guest);
            banAndLift(mod, guest, guestName, room);
            assertEquals(List.of(), modBrowser.consoleErrors(), "the moderator's console");
        } finally { // every client here is on loopback: a ban left behind would refuse the next test's sockets
            liftEveryBan();
        }
    }

    private void signInThroughTheForm(Browser browser, String room) {
        WebDriver driver = browser.driver();
        browser.clearCookies();
        browser.get(server.pageUri().resolve("r/" + room));
        driver.findElement(By.id("sign-in")).click();
        browser.until("the sign-in form", d -> !d.findElements(By.id("signin-form")).isEmpty());
        driver.findElement(By.id("username")).sendKeys(TestAccounts.MOD);
        driver.findElement(By.id("password")).sendKeys(TestAccounts.MOD_PASSWORD);
        driver.findElement(By.id("signin-submit")).click();
        browser.until("back in the room", d -> d.getCurrentUrl().endsWith("/r/" + room));
        ChatPage.current(browser, server).awaitConnected(Browser.WAIT);
        assertEquals("true", driver.findElement(By.tagName("body")).getDomAttribute("data-moderator"));
    }

    private void deleteThroughTheConfirmDialog(ChatPage mod, ChatPage guest) {
        String text = "something awful " + unique("x");
        guest.typeAndPressEnter(text);
        String id = guest.awaitMessage(text).id();
        mod.awaitMessage(text);
        String item = "#messages li.message[data-id='" + id + "']";
        // Both clocks are this machine's: the moderator's page notes when Delete is confirmed, the guest's when
        // the message turns into "removed by a moderator".
        guest.browser().script("""
                var selector = arguments[0];
                window.removedAt = null;
                new MutationObserver(function (changes, observer) {
                  var item = document.querySelector(selector);
                  if (item && item.classList.contains('deleted')) {
                    window.removedAt = Date.now();
                    observer.disconnect();
                  }
                }).observe(document.getElementById('messages'), {subtree: true, childList: true, attributes: true});""",
                item);
        WebDriver modDriver = mod.browser().driver();
        modDriver.findElement(By.cssSelector(item + " button.mod-delete")).click();
        WebElement dialog = modDriver.findElement(By.id("delete-dialog"));
        mod.browser().until("the confirm dialog", d -> dialog.isDisplayed());
        assertTrue(dialog.getText().contains(text), "the dialog quotes the message: " + dialog.getText());
        assertEquals("delete-cancel", mod.browser().script("return document.activeElement.id;"), "Cancel first");
        mod.browser().script("""
                document.getElementById('delete-confirm').addEventListener('click', function () {
                  window.confirmedAt = Date.now();
                }, {once: true});""");
        modDriver.findElement(By.id("delete-confirm")).click();

        long removedAt = guest.browser().until("the guest's page removes the message",
                d -> (Long) guest.browser().script("return window.removedAt;"));
        long confirmedAt = (Long) mod.browser().script("return window.confirmedAt;");
        assertTrue(removedAt - confirmedAt < AT_ONCE_MS, "removed " + (removedAt - confirmedAt) + " ms after Delete");
        assertEquals("removed by a moderator", guest.browser().driver().findElement(By.cssSelector(item + " .text"))
                .getText());
        assertFalse((Boolean) guest.browser().script("return document.body.textContent.includes(arguments[0]);",
                text), "no text of it left in the guest's page");
        mod.browser().until("removed on the moderator's page too", d -> d.findElements(
                By.cssSelector(item + ".deleted")).size() == 1);
    }

    private void muteAndUnmute(ChatPage mod, ChatPage guest, String guestName) {
        openPanel(mod);
        WebDriver modDriver = mod.browser().driver();
        openPersonDialog(mod, guestName);
        modDriver.findElement(By.id("mod-reason")).sendKeys("caps");
        modDriver.findElement(By.id("mod-mute")).click();
        mod.browser().until("the dialog says the mute", d -> d.findElement(By.id("user-dialog-status")).getText()
                .startsWith(guestName + " is muted until"));
        assertEquals(List.of(), Accessibility.seriousViolations(mod.browser()), "axe-core on the person dialog");
        modDriver.findElement(By.id("user-dialog-close")).click();

        String notice = guest.browser().until("the guest's mute notice", d -> {
            String shown = d.findElement(By.id("restriction-text")).getText();
            return shown.startsWith("You are muted until") ? shown : null;
        });
        assertTrue(notice.endsWith(": caps"), notice);
        WebDriver guestDriver = guest.browser().driver();
        assertFalse(guestDriver.findElement(By.id("text")).isEnabled(), "the input is off while muted");
        // A message already on its way when the mute came is refused by the server: here the page's own submit,
        // with the input forced back on for one task (the page turns it off again at its next tick).
        String refused = "STILL HERE " + unique("x");
        guest.browser().script("""
                var input = document.getElementById('text');
                input.disabled = false;
                input.value = arguments[0];
                document.getElementById('composer').requestSubmit();""", refused);
        guest.browser().until("the refused message is marked not sent", d -> d.findElements(By.cssSelector(
                "#messages li.message.failed")).stream().anyMatch(li -> li.getText().contains(refused)));
        assertTrue(guest.messages().stream().noneMatch(entry -> refused.equals(entry.text()) && entry.confirmed()));

        WebElement unmute = mod.browser().until("the mute in the panel", d -> d.findElements(
                By.cssSelector("#mod-mutes button[aria-label='Unmute " + guestName + "']")).stream()
                .findFirst().orElse(null));
        assertEquals(List.of(), Accessibility.seriousViolations(mod.browser()),
                "axe-core on the moderator's page: message controls, panel open with a mute listed");
        unmute.click();
        guest.browser().until("the guest may post again", d -> d.findElement(By.id("text")).isEnabled()
                && d.findElement(By.id("restriction-text")).getText().isEmpty());
    }

    private void slowMode(ChatPage mod, ChatPage guest) {
        WebDriver modDriver = mod.browser().driver();
        WebElement seconds = modDriver.findElement(By.id("mod-slow"));
        seconds.clear();
        seconds.sendKeys("30");
        modDriver.findElement(By.cssSelector("#mod-room-form button[type='submit']")).click();
        mod.browser().until("the settings saved", d -> "Room settings saved".equals(d.findElement(By.id("mod-status"))
                .getText()));

        guest.browser().until("the slow-mode note", d -> "Slow mode: one message every 30 s".equals(
                d.findElement(By.id("rules-note")).getText()));
        String text = "slowly " + unique("x");
        guest.typeAndPressEnter(text);
        guest.awaitMessage(text);
        WebElement send = guest.browser().driver().findElement(By.id("send"));
        String label = send.getText();
        assertTrue(label.matches("Wait \\d+ s"), "the send button counts down: " + label);
        assertFalse(send.isEnabled(), "and is off meanwhile");
    }

    private void banAndLift(ChatPage mod, ChatPage guest, String guestName, String room) {
        WebDriver modDriver = mod.browser().driver();
        openPersonDialog(mod, guestName);
        modDriver.findElement(By.id("mod-reason")).sendKeys("spam");
        WebElement minutes = modDriver.findElement(By.id("mod-ban-minutes"));
        minutes.clear();
        minutes.sendKeys("5");
        modDriver.findElement(By.id("mod-ban-address")).click();
        modDriver.findElement(By.id("mod-ban")).click();
        mod.browser().until("the dialog says the ban", d -> (guestName + " is banned for 5 min").equals(
                d.findElement(By.id("user-dialog-status")).getText()));
        modDriver.findElement(By.id("user-dialog-close")).click();

        Browser guestBrowser = guest.browser();
        String notice = guestBrowser.until("the guest's ban notice", d -> {
            String shown = d.findElement(By.id("restriction-text")).getText();
            return shown.startsWith("You are banned until") ? shown : null;
        });
        assertTrue(notice.endsWith(": spam"), notice);
        long sockets = (Long) guestBrowser.script("return window.socketsOpened;");
        String cookies = guestBrowser.driver().manage().getCookies().stream()
                .map(cookie -> cookie.getName() + "=" + cookie.getValue()).collect(Collectors.joining("; "));
        ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class, () -> ChatClient.connect(
                server.socketUri("room=" + room), ChatClient.options().chatV1().cookie(cookies)).close());
        assertEquals(403, refused.status(), "the guest's session, from the banned address");
        assertEquals(List.of(), Accessibility.seriousViolations(guestBrowser), "axe-core on the banned page");
        assertEquals(sockets, guestBrowser.script("return window.socketsOpened;"),
                "no socket since the ban, seconds later (the page's first retry would come within one)");
        // A reload remembers the ban: the notice again, and still no socket.
        guestBrowser.driver().navigate().refresh();
        guestBrowser.until("the remembered ban", d -> d.findElement(By.id("restriction-text")).getText()
                .startsWith("You are banned until"));
        assertEquals(0L, guestBrowser.script("return window.socketsOpened;"), "no socket after the reload");

        WebElement lift = mod.browser().until("the ban in the panel", d -> d.findElements(
                By.cssSelector("#mod-bans button[aria-label='Lift ban on " + guestName + "']")).stream()
                .findFirst().orElse(null));
        lift.click();
        mod.browser().until("the ban lifted", d -> d.findElement(By.id("mod-status")).getText().equals(
                "Ban on " + guestName + " lifted"));
        guestBrowser.driver().findElement(By.cssSelector("#restriction .restriction-action button")).click();
        ChatPage.current(guestBrowser, server).awaitConnected(Browser.WAIT);
    }

    private static void openPanel(ChatPage mod) {
        WebDriver driver = mod.browser().driver();
        driver.findElement(By.cssSelector("#moderation-panel > summary")).click();
        mod.browser().until("the panel open", d -> d.findElement(By.id("mod-slow")).isDisplayed());
    }

    private static void openPersonDialog(ChatPage mod, String name) {
        mod.browser().driver().findElement(moderateButton(name)).click();
        mod.browser().until("the person dialog", d -> d.findElement(By.id("user-dialog")).isDisplayed()
                && name.equals(d.findElement(By.id("user-dialog-name")).getText()));
    }

    private static By moderateButton(String name) {
        return By.cssSelector("#users button.mod-user[data-user='" + name + "']");
    }

    private void liftEveryBan() {
        WebSession moderator = SignIn.as(new WebSession(server), TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
        JsonObject bans = ChatClient.parse(moderator.json("GET", "moderation/bans", null, null).body());
        for (JsonObject ban : bans.getJsonArray("bans").getValuesAs(JsonObject.class)) {
            moderator.json("DELETE", "moderation/bans/" + ban.getString("id"), null, null);
        }
    }
}
