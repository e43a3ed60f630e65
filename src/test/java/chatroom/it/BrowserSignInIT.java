package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.Accessibility;
import chatroom.testing.Browser;
import chatroom.testing.TestAccounts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The sign-in in Chromium: from the page's "Sign in" link through the container's form (a wrong password, then the
 * right one) back to the room, signed in under the account's name; axe-core on the form in both states.
 */
class BrowserSignInIT extends ServerSuite {
    @Test
    void aModeratorSignsInThroughTheFormAndChatsUnderTheAccountsName() {
        try (Browser browser = Browser.open()) {
            WebDriver driver = browser.driver();
            browser.get(server.pageUri().resolve("r/lobby"));
            driver.findElement(By.id("sign-in")).click();
            browser.until("the sign-in form", d -> !d.findElements(By.id("signin-form")).isEmpty());
            assertEquals("Sign in · Chatroom", driver.getTitle());
            assertEquals(List.of(), Accessibility.seriousViolations(browser), "axe-core on the sign-in form");

            signIn(driver, TestAccounts.MOD, "not-the-password");
            String error = browser.until("the error", d -> {
                String text = d.findElement(By.id("signin-error")).getText();
                return text.isBlank() ? null : text;
            });
            assertTrue(error.contains("do not match"), error);
            assertEquals("true", driver.findElement(By.id("username")).getDomAttribute("aria-invalid"));
            assertEquals(List.of(), Accessibility.seriousViolations(browser), "axe-core on the form with its error");

            signIn(driver, TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
            browser.until("back in the room", d -> d.getCurrentUrl().endsWith("/r/lobby"));
            browser.until("connected", d -> "Connected".equals(d.findElement(By.id("status")).getText()));
            assertEquals(TestAccounts.MOD, driver.findElement(By.id("me-name")).getText());
            assertEquals("true", driver.findElement(By.tagName("body")).getDomAttribute("data-signed-in"));
            assertEquals("true", driver.findElement(By.tagName("body")).getDomAttribute("data-moderator"));
            assertTrue(driver.findElement(By.id("sign-out")).isDisplayed());
            assertTrue(driver.findElement(By.id("nickname-panel")).getDomAttribute("hidden") != null,
                    "no nickname form for an account");
            assertEquals(List.of(), Accessibility.seriousViolations(browser), "axe-core on the signed-in page");
        }
    }

    private static void signIn(WebDriver driver, String name, String password) {
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys(name);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("signin-submit")).click();
    }
}
