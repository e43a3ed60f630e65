package chatroom.nickname;

import static chatroom.nickname.NicknameFormTest.problem;
import static chatroom.nickname.NicknameFormTest.sameName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Two names the page draws alike cannot be held by two people: dashes, dotted capital I, stacked marks. */
class NicknameDrawnAlikeTest {
    /**
     * Unicode Pd from several scripts and blocks, and the Katakana prolonged sound mark (Lm) with its halfwidth form.
     */
    private static final List<String> DASHES = List.of("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
            "\u2E3A", "\u2E3B", "\u301C", "\u058A", "\u05BE", "\u1806", "\uFE58", "\uFE63", "\uFF0D",
            "\u30FC", "\uFF70");

    @Test
    void everyDashIsAHyphenForTheGuestReservation() {
        for (String dash : DASHES) {
            assertEquals(NicknameForm.Problem.RESERVED, problem("guest" + dash + "1"), hex(dash));
            assertEquals(NicknameForm.Problem.RESERVED, problem("GUEST" + dash + "x"), hex(dash));
        }
    }

    @Test
    void everyDashIsAHyphenForUniqueness() {
        for (String dash : DASHES) {
            assertTrue(sameName("r2-d2", "r2" + dash + "d2"), hex(dash));
            assertTrue(sameName("mary" + dash + "jane", "Mary-Jane"), hex(dash));
        }
        assertFalse(sameName("r2-d2", "r2d2"), "a dash is not nothing");
        assertFalse(sameName("r2-d2", "r2_d2"));
    }

    @Test
    void dottedCapitalIIsI() {
        assertNull(problem("İzmir"));
        assertTrue(sameName("İzmir", "izmir"));
        assertTrue(sameName("İZMİR", "izmir"));
        assertTrue(sameName("i\u0307zmir", "izmir"), "a dot above on an i draws nothing new");
        assertTrue(sameName("ızmir", "izmir"), "dotless i");
        assertTrue(sameName("Izmir", "izmir"));
        assertFalse(sameName("İzmir", "ızmirr"));
    }

    @Test
    void aCharacterCarriesAtMostTwoMarks() {
        assertNull(problem("e\u0301\u0302x"), "two marks");
        assertNull(problem("Nguyễn"), "Vietnamese: one letter, two marks, composed");
        assertNull(problem("q\u0323\u0302"), "two marks that do not compose");
        assertNull(problem("ที่"), "Thai: a vowel and a tone mark on one consonant");
        assertNull(problem("\u2764\uFE0F\u20DD ana"), "an emoji's variation selector is a mark too");
        assertEquals(NicknameForm.Problem.STACKED, problem("z\u0336\u0337\u0338alg"), "three marks");
        assertEquals(NicknameForm.Problem.STACKED,
                problem("a" + "\u0300\u0301\u0302\u0303\u0304\u0305\u0306".repeat(4)), "zalgo");
        assertEquals(NicknameForm.Problem.STACKED, problem("x\u20DD\u20DD\u20DD"), "enclosing marks stack too");
        assertNull(problem("a\u0300b\u0301c\u0302"), "one mark on each of several letters");
    }

    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(String.format("U+%04X ", c)));
        return out.toString().trim();
    }
}
