package chatroom.it;

import static chatroom.it.ServerSuite.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.Accessibility;
import chatroom.testing.Browser;
import chatroom.testing.ChatPage;
import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import chatroom.testing.WebSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Rooms in the page: two pages in two rooms never see each other's messages, and a third page moves between
 * them by the room form, keeping its nickname and leaving no socket behind. On embedded Jetty only: the page and
 * its script are the same files on both containers, and RoomsIT holds the server side to the contract on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomsBrowserIT {
    @RegisterExtension
    static final TwoBrowsers browsers = new TwoBrowsers();

    private ChatServer server;
    private Browser third;

    @BeforeAll
    void startServerAndThirdBrowser() {
        server = EmbeddedJetty.start(ServerSuite.RELAXED);
        third = Browser.open();
    }

    @AfterAll
    void stopServerAndThirdBrowser() {
        if (third != null) {
            third.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pagesInTwoRoomsStayApartAndAThirdMovesBetweenThem() {
        String kitchen = unique("kitchen").toLowerCase();
        String garden = unique("garden").toLowerCase();
        ChatPage alice = ChatPage.openRoomAsNewVisitor(browsers.first(), server, kitchen).join(unique("alice"));
        ChatPage bob = ChatPage.openRoomAsNewVisitor(browsers.second(), server, garden).join(unique("bob"));
        assertEquals("#" + kitchen + " · Chatroom", browsers.first().driver().getTitle(), "the tab says which room");
        assertTrue(browsers.first().driver().findElement(By.id("room-name")).getText().contains("#" + kitchen));

        alice.typeAndPressEnter("bread is in the oven");
        alice.awaitMessage("bread is in the oven");
        bob.typeAndPressEnter("the roses are out");
        bob.awaitMessage("the roses are out");

        String carolName = unique("carol");
        ChatPage carol = ChatPage.openRoomAsNewVisitor(third, server, kitchen).join(carolName);
        carol.awaitMessage("bread is in the oven");
        assertFalse(texts(carol).contains("the roses are out"), "nothing of the garden in the kitchen");
        assertFalse(texts(alice).contains("the roses are out"));
        assertFalse(texts(bob).contains("bread is in the oven"), "nothing of the kitchen in the garden");
        third.until("the rooms list shows both rooms",
                driver -> listed(driver.findElements(By.cssSelector("#rooms li")), garden)
                && listed(driver.findElements(By.cssSelector("#rooms li")), kitchen));
        assertEquals(List.of(), Accessibility.seriousViolations(third), "the room page with its rooms list");

        // A name the server would refuse is refused in the page, and the page stays.
        WebElement input = third.driver().findElement(By.id("room-input"));
        input.sendKeys("no spaces here");
        third.driver().findElement(By.id("room-go")).click();
        third.until("the room form explains the rule", driver -> !driver.findElement(By.id("room-error"))
                .getText().isEmpty());
        assertEquals("true", input.getAttribute("aria-invalid"));

        input.clear();
        input.sendKeys(garden.toUpperCase());
        third.driver().findElement(By.id("room-go")).click();
        third.until("the page moved to the garden", driver -> driver.getTitle().equals("#" + garden + " · Chatroom"));
        ChatPage moved = ChatPage.current(third, server);
        moved.awaitConnected(Browser.WAIT);
        assertEquals(carolName, moved.me(), "the nickname goes along");
        moved.awaitMessage("the roses are out");
        assertFalse(texts(moved).contains("bread is in the oven"), "the garden's history only");
        moved.typeAndPressEnter("hello garden");
        bob.awaitMessage("hello garden");
        await().atMost(Duration.ofSeconds(10)).until(() -> online(kitchen) == 1 && online(garden) == 2);
        assertFalse(texts(alice).contains("hello garden"), "the kitchen heard nothing of it");
        assertEquals(List.of(), Accessibility.seriousViolations(third), "the room form after a refusal and a move");
    }

    private static boolean listed(List<WebElement> items, String room) {
        return items.stream().anyMatch(item -> item.getText().startsWith("#" + room));
    }

    private static List<String> texts(ChatPage page) {
        return page.messages().stream().map(ChatPage.Entry::text).toList();
    }

    /** The room's count in GET /rooms: 1 in the kitchen once carol's old socket is gone. */
    private int online(String room) {
        JsonObject answer = Json.createReader(new StringReader(new WebSession(server).get("rooms").body()))
                .readObject();
        return answer.getJsonArray("rooms").stream().map(r -> r.asJsonObject())
                .filter(r -> r.getString("name").equals(room)).mapToInt(r -> r.getInt("online")).findFirst().orElse(0);
    }
}
