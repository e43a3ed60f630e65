package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatClient;
import chatroom.testing.ChatServer;
import chatroom.testing.SignIn;
import chatroom.testing.TestAccounts;
import chatroom.testing.WebSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The container's sign-in (web.xml FORM login on the container's realm; the test accounts of
 * {@link TestAccounts}): the form, where it leads, the account's name on the page and the socket, what a guest
 * may then no longer claim, sign-out, and {@code chat.guests}.
 */
class SignInIT extends ServerSuite {
    private static final String FORM_MARK = "id=\"signin-form\"";
    private static final String FAILED_MARK = "That name and password do not";

    @Test
    void loginShowsTheRoomsOwnFormNotAContainerPage() {
        HttpResponse<String> form = new WebSession(server).get("login?next=/");
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains(FORM_MARK), form.body());
        assertTrue(form.body().contains("action=\"/j_security_check\""), "posts to the container's check");
        assertTrue(form.body().contains("autocomplete=\"current-password\""));
        assertFalse(form.body().contains(FAILED_MARK), "no error before a try");
    }

    @Test
    void aWrongPasswordShowsTheFormAgainWithTheErrorAndSignsNobodyIn() {
        WebSession visitor = new WebSession(server);
        SignIn.Steps steps = SignIn.attempt(visitor, TestAccounts.ANN, "not-her-password", "/");
        assertNull(steps.landing(), "no way in: " + steps.check().statusCode());
        assertTrue(steps.check().body().contains(FAILED_MARK), steps.check().body());
        assertTrue(steps.check().body().contains("role=\"alert\""));
        assertTrue(visitor.getPage().body().contains("data-signed-in=\"false\""));
    }

    @Test
    void theRightPasswordLandsOnNextSignedInUnderANewSessionId() {
        WebSession visitor = new WebSession(server);
        visitor.get("login?next=/r/lobby");
        String before = visitor.cookie("JSESSIONID");
        assertNotNull(before, "the container keeps the sign-in's request in a session");
        SignIn.Steps steps = SignIn.attempt(visitor, TestAccounts.ANN, TestAccounts.ANN_PASSWORD, "/r/lobby");
        assertNotNull(steps.landing(), "signed in: " + steps.check().statusCode() + " " + steps.check().body());
        assertEquals(303, steps.landing().statusCode());
        assertEquals("/r/lobby", steps.destination());
        assertNotEquals(before, visitor.cookie("JSESSIONID"), "a new session id once signed in (no fixation)");

        String page = visitor.get("r/lobby").body();
        assertTrue(page.contains("data-user=\"ann\""), "the account's name on the unconstrained page");
        assertTrue(page.contains("data-signed-in=\"true\""));
        assertTrue(page.contains("data-moderator=\"false\""));
        assertTrue(page.contains("id=\"sign-out\""));
    }

    @Test
    void aModeratorIsShownAsOne() {
        WebSession moderator = SignIn.as(new WebSession(server), TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
        String page = moderator.getPage().body();
        assertTrue(page.contains("data-user=\"mod\""), page);
        assertTrue(page.contains("data-moderator=\"true\""));
    }

    @Test
    void nextMustBeAPathOfThisSite() {
        for (String next : List.of("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x")) {
            SignIn.Steps steps = SignIn.attempt(new WebSession(server), TestAccounts.ANN, TestAccounts.ANN_PASSWORD,
                    next);
            assertNotNull(steps.landing(), next);
            assertEquals("/", steps.destination(), next);
        }
    }

    @Test
    void theSocketOfASignedInPersonCarriesTheAccountsName() {
        WebSession ann = SignIn.as(new WebSession(server), TestAccounts.ANN, TestAccounts.ANN_PASSWORD);
        try (ChatClient socket = ann.connectChat(null)) {
            JsonObject welcome = socket.next();
            assertEquals("welcome", welcome.getString("type"), welcome.toString());
            assertEquals(TestAccounts.ANN, welcome.getString("you"));
        }
    }

    @Test
    void noGuestCanClaimTheAccountsNameOrALookAlikeWhileItIsOn() {
        SignIn.as(new WebSession(server), TestAccounts.ANN, TestAccounts.ANN_PASSWORD);
        for (String name : List.of("ann", "ANN", "\u0430nn")) { // the last with a Cyrillic a
            HttpResponse<String> refused = new WebSession(server).postNickname(name);
            assertEquals(409, refused.statusCode(), name + ": " + refused.body());
        }
    }

    @Test
    void aGuestWhoHeldTheNameLosesItWhenTheAccountSignsIn() {
        // A guest who took the account's look-alike before its owner came: the account wins. A server of its own,
        // where the account has not signed in yet.
        try (ChatServer fresh = start(RELAXED)) {
            WebSession guest = new WebSession(fresh).nickname("MOD");
            SignIn.as(new WebSession(fresh), TestAccounts.MOD, TestAccounts.MOD_PASSWORD);
            assertTrue(guest.getPage().body().contains("data-user=\"\""), "the guest is asked for another name");
            try (ChatClient socket = guest.connectChat(null)) {
                assertNotEquals("MOD", socket.next().getString("you", null));
            }
        }
    }

    @Test
    void aSignedInPersonCannotTakeANickname() {
        WebSession ann = SignIn.as(new WebSession(server), TestAccounts.ANN, TestAccounts.ANN_PASSWORD);
        HttpResponse<String> refused = ann.postNickname(unique("alias"));
        assertEquals(409, refused.statusCode());
        assertEquals("{\"error\":\"signed_in\",\"message\":\"you chat as ann\"}", refused.body());
    }

    @Test
    void signOutOnlyFromThisSiteAndThenAGuestAgain() {
        WebSession ann = SignIn.as(new WebSession(server), TestAccounts.ANN, TestAccounts.ANN_PASSWORD);
        HttpResponse<String> foreign = ann.postForm("logout", "", "http://evil.example");
        assertEquals(403, foreign.statusCode());
        assertTrue(ann.getPage().body().contains("data-signed-in=\"true\""), "still signed in");

        String own = "http://" + server.pageUri().getRawAuthority();
        HttpResponse<String> out = ann.postForm("logout", "", own);
        assertEquals(303, out.statusCode());
        String page = ann.getPage().body();
        assertTrue(page.contains("data-signed-in=\"false\""), page);
        assertTrue(page.contains("id=\"sign-in\""));
    }

    @Test
    void withGuestsNoneOnlyAccountsGetIn() {
        try (ChatServer closed = start(Map.of("chat.guests", "none"))) {
            WebSession guest = new WebSession(closed);
            String page = guest.getPage().body();
            assertTrue(page.contains("id=\"signin-prompt\""), page);
            assertTrue(page.contains("Sign in to chat"));
            assertFalse(page.contains("<section id=\"nickname-panel\" class=\"nickname-panel\">"),
                    "no nickname form shown");
            ChatClient.HandshakeFailed refused = assertThrows(ChatClient.HandshakeFailed.class,
                    () -> guest.connectChat(null));
            assertEquals(403, refused.status());
            assertEquals(401, guest.get("history?before=1000").statusCode(), "no scrollback for guests either");

            WebSession ann = SignIn.as(new WebSession(closed), TestAccounts.ANN, TestAccounts.ANN_PASSWORD);
            try (ChatClient socket = ann.connectChat(null)) {
                assertEquals(TestAccounts.ANN, socket.next().getString("you"), "the handshake sees the account");
            }
        }
    }

    @Test
    void withGuestsReadTheNicknameFormMakesWayForTheSignIn() {
        try (ChatServer readOnly = start(Map.of("chat.guests", "read"))) {
            String page = new WebSession(readOnly).getPage().body();
            assertTrue(page.contains("Sign in to post"), page);
            assertTrue(page.contains("<section id=\"nickname-panel\" class=\"nickname-panel\" hidden>"),
                    "nickname form hidden");
        }
    }
}
