package chatroom.nickname;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import java.text.Normalizer;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The look-alike and invisible-character examples of the nickname rule, one by one. */
class NicknameFormTest {
    static NicknameForm.Problem problem(String requested) {
        return NicknameForm.check(requested).problem();
    }

    static boolean sameName(String a, String b) {
        return !Collections.disjoint(NicknameForm.keys(NicknameForm.normalise(a)),
                NicknameForm.keys(NicknameForm.normalise(b)));
    }

    @Test
    void validNames() {
        for (String name
                : List.of("a", "alice", "Zoë", "李小龙", "👩‍💻 dev", "❤️ Ana", "x".repeat(32), "👋".repeat(31) + "x",
                "R2-D2", "guest")) {
            assertNull(problem(name), name);
        }
    }

    @Test
    void lengthIsCountedInCharactersAfterNormalising() {
        assertEquals(NicknameForm.Problem.EMPTY, problem("   "));
        assertEquals(NicknameForm.Problem.TOO_LONG, problem("x".repeat(33)));
        assertNull(problem("  " + "x".repeat(32) + "  "), "blanks around a name are not part of it");
    }

    @Test
    void invisibleFormatBidiAndControlCharactersAreRefused() {
        for (String name
                : List.of("ali\u200Bce", "alice\u200D", "al\u200Cice", "\u202Eecila", "\uFEFFalice", "al\u00ADice",
                "tab\there", "new\nline", "nul\u0000", "se\u2028p", "ali\u2066ce", "a\uFFFDb", "\uE000x", "a\u034Fb")) {
            assertEquals(NicknameForm.Problem.INVISIBLE, problem(name), name);
        }
    }

    @Test
    void namesWithoutAVisibleLetterOrDigitAreRefused() {
        assertEquals(NicknameForm.Problem.EMPTY, problem("\u00A0"),
                "a no-break space normalises to a space, then to nothing");
        assertEquals(NicknameForm.Problem.EMPTY, problem("\u3000\u2003"));
        assertEquals(NicknameForm.Problem.INVISIBLE, problem("\u3164"), "Hangul filler: a letter that shows nothing");
        assertEquals(NicknameForm.Problem.INVISIBLE, problem("\u3164\u3164x"));
        assertEquals(NicknameForm.Problem.NO_LETTER, problem("\u2800"), "Braille blank");
        assertEquals(NicknameForm.Problem.NO_LETTER, problem("!!!"));
        assertEquals(NicknameForm.Problem.NO_LETTER, problem("👋👋"));
    }

    @Test
    void theGuestReservationHoldsAgainstLookAlikes() {
        for (String name
                : List.of("guest-1", "Guest-x", "GUEST-7", "guest\u20101", "guest\u20111", "gu\u0435st-1", "ｇｕｅｓｔ-1",
                "guest\uFE631")) {
            assertEquals(NicknameForm.Problem.RESERVED, problem(name), name);
        }
        // Invisible characters are refused before they could hide the prefix.
        assertEquals(NicknameForm.Problem.INVISIBLE, problem("guest\u200B-1"));
        assertEquals(NicknameForm.Problem.INVISIBLE, problem("guest\u00AD-1"));
    }

    @Test
    void normalisingKeepsOneFormOfEachName() {
        assertEquals("alice", NicknameForm.normalise("ａｌｉｃｅ"), "fullwidth letters are letters");
        String nfc = Normalizer.normalize("josé", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("josé", Normalizer.Form.NFD);
        assertNotEquals(nfc, nfd);
        assertEquals(NicknameForm.normalise(nfc), NicknameForm.normalise(nfd));
    }

    @Test
    void lookAlikesAreTheSameName() {
        assertTrue(sameName("alice", "Alice"));
        assertTrue(sameName("alice", "ALICE"));
        assertTrue(sameName("alice", "\u0410lice"), "Cyrillic А");
        assertTrue(sameName("alice", "ａｌｉｃｅ"), "fullwidth");
        assertTrue(sameName("alice", "aIice"), "capital I for l");
        assertTrue(sameName("alice", "a\u217Cice"), "Roman numeral fifty");
        assertTrue(sameName("josé", Normalizer.normalize("josé", Normalizer.Form.NFD)));
        assertTrue(sameName("paypal", "p\u0430ypal"));
    }

    @Test
    void differentNamesStayDifferent() {
        assertFalse(sameName("alice", "alicia"));
        assertFalse(sameName("josé", "jose"), "an accent is part of a name");
        assertFalse(sameName("bob", "rob"));
    }

    private static void assertTrue(boolean condition, String... message) {
        org.junit.jupiter.api.Assertions.assertTrue(condition, String.join(" ", message));
    }

    private static void assertFalse(boolean condition, String... message) {
        org.junit.jupiter.api.Assertions.assertFalse(condition, String.join(" ", message));
    }
}
