package chatroom.nickname;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import java.util.List;
import java.util.Locale;

/**
 * What a nickname is: its normal form, whether it may be used, and the keys that say which names are "the same".
 *
 * <p>A name is NFKC-normalised (fullwidth letters, ligatures and compatibility spaces become their plain forms)
 * and stripped. It may not contain control, format or other default-ignorable characters: zero-width spaces
 * and joiners, bidi overrides, BOMs, soft hyphens, Hangul fillers make names that look alike or like nothing.
 * The one exception is how emoji are built: a zero-width joiner between two pictographs and an emoji variation
 * selector after one ("👩‍💻", "❤️"). A name needs at least one letter or digit, so it is never blank on screen.
 *
 * A character carries at most {@value #MAX_MARKS} combining marks (accents, tone marks, a keycap's frame): more
 * stack above and below the line and draw over the names around it.
 *
 * <p>Two names the page draws alike cannot be held by two people: two names are the same when they share a key,
 * the Unicode TR #39 confusable skeleton (ICU's SpoofChecker) of the case-folded name, or the case-folded
 * skeleton of the name as written. The second catches capital I passing for l ("aIice"), which folding first
 * would turn into an i. In both, every dash (Unicode Pd, the Katakana prolonged sound mark) counts as "-", and a
 * dot above on a letter that already has its dot (i, j) counts as nothing, so "İzmir" is "izmir".
 */
public final class NicknameForm {
    static final int MAX_LENGTH = 32;
    static final int MAX_MARKS = 2;
    private static final int DOT_ABOVE = 0x0307;
    private static final int KATAKANA_PROLONGED_SOUND = 0x30FC;
    /** Names the room gives connections without a nickname ({@code guest-<n>}); nicknames may not look like it. */
    public static final String GUEST_PREFIX = "guest-";
    private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
    /** Thread-safe once built (ICU: "SpoofChecker objects are thread safe"). */
    private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();
    private static final List<String> GUEST_KEYS = keys(GUEST_PREFIX);

    /** Why a name was refused; {@code code} travels in the no-script form's redirect. */
    public enum Problem {
        EMPTY("Choose a nickname."),
        TOO_LONG("A nickname has at most " + MAX_LENGTH + " characters."),
        INVISIBLE("A nickname cannot contain invisible, formatting or control characters."),
        STACKED("A character of a nickname may carry at most " + MAX_MARKS + " accents or marks."),
        NO_LETTER("A nickname needs at least one letter or digit."),
        RESERVED("Names starting with \"" + GUEST_PREFIX + "\" (or anything that looks like it) are kept for guests."),
        UNREADABLE("The nickname could not be read: send it as UTF-8."),
        TAKEN("That nickname, or one that looks just like it, is already in use. Choose another nickname."),
        /** With several nodes: the nodes' shared registry of names cannot be reached, so a name cannot be checked. */
        UNAVAILABLE("Nicknames cannot be checked right now. Try again shortly."),
        /** A moderator banned the name (or a look-alike), or the address it is claimed from. */
        BANNED("That nickname, or your address, is banned here."),
        /** Someone signs in under that name (or a look-alike): only they may use it. */
        SIGNED_IN_NAME("That nickname belongs to someone who signs in. Choose another nickname.");

        private final String message;

        Problem(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The problem with this code, or null for anything else (the code comes from a URL anyone can write). */
        public static Problem ofCode(String code) {
            for (Problem problem : values()) {
                if (problem.code().equals(code)) {
                    return problem;
                }
            }
            return null;
        }
    }

    /** The normalised name, and why it cannot be used (null when it can). */
    record Checked(String name, Problem problem) {
    }

    private NicknameForm() {
    }

    static String normalise(String requested) {
        return requested == null ? "" : NFKC.normalize(requested).strip();
    }

    static Checked check(String requested) {
        String name = normalise(requested);
        return new Checked(name, problemWith(name));
    }

    /** Why this (normalised) name cannot be used, or null when it can. */
    static Problem problemWith(String name) {
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            return Problem.EMPTY;
        }
        if (length > MAX_LENGTH) {
            return Problem.TOO_LONG;
        }
        int[] codePoints = name.codePoints().toArray();
        boolean letterOrDigit = false;
        int marks = 0;
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            if (isInvisible(c) && !buildsEmoji(codePoints, i)) {
                return Problem.INVISIBLE;
            }
            marks = isStackingMark(c) ? marks + 1 : 0;
            if (marks > MAX_MARKS) {
                return Problem.STACKED;
            }
            letterOrDigit |= UCharacter.isLetterOrDigit(c);
        }
        if (!letterOrDigit) {
            return Problem.NO_LETTER;
        }
        for (String key : keys(name)) {
            if (GUEST_KEYS.stream().anyMatch(key::startsWith)) {
                return Problem.RESERVED;
            }
        }
        return null;
    }

    /**
     * Characters that show nothing or change how others show: controls, format characters (bidi controls among
     * them), line and paragraph separators, default-ignorables (U+3164 and friends), and the replacement
     * character a decoder writes for bytes it could not read.
     */
    private static boolean isInvisible(int c) {
        int type = UCharacter.getType(c);
        return type == UCharacter.CONTROL || type == UCharacter.FORMAT || type == UCharacter.LINE_SEPARATOR
                || type == UCharacter.PARAGRAPH_SEPARATOR || type == UCharacter.UNASSIGNED
                || type == UCharacter.PRIVATE_USE || type == UCharacter.SURROGATE
                || UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                || c == 0xFFFD;
    }

    /** A mark drawn on the character before it (above, below, through or around), not beside it. */
    private static boolean isStackingMark(int c) {
        int type = UCharacter.getType(c);
        return type == UCharacter.NON_SPACING_MARK || type == UCharacter.ENCLOSING_MARK;
    }

    /** A zero-width joiner between two pictographs, or an emoji variation selector after one. */
    private static boolean buildsEmoji(int[] codePoints, int i) {
        boolean afterPictograph = i > 0 && isPictograph(codePoints[i - 1]);
        return switch (codePoints[i]) {
            case 0x200D -> afterPictograph && i + 1 < codePoints.length && isPictograph(codePoints[i + 1]);
            case 0xFE0F -> afterPictograph;
            default -> false;
        };
    }

    private static boolean isPictograph(int c) {
        return UCharacter.hasBinaryProperty(c, UProperty.EXTENDED_PICTOGRAPHIC)
                || UCharacter.hasBinaryProperty(c, UProperty.EMOJI_MODIFIER);
    }

    /** The keys under which a (normalised) name is held; the first is the primary one. */
    public static List<String> keys(String name) {
        String folded = asDrawn(skeleton(UCharacter.foldCase(name, true)));
        String asWritten = asDrawn(UCharacter.foldCase(skeleton(name), true));
        return folded.equals(asWritten) ? List.of(folded) : List.of(folded, asWritten);
    }

    /**
     * What the skeleton leaves that still draws alike: any dash as "-", and no dot above after a letter that has
     * its own (case folding turns "İ" into "i" and a dot above). The skeleton is decomposed, so the dot follows.
     */
    private static String asDrawn(String skeleton) {
        StringBuilder drawn = new StringBuilder(skeleton.length());
        int previous = -1;
        for (int i = 0; i < skeleton.length(); ) {
            int c = skeleton.codePointAt(i);
            i += Character.charCount(c);
            if (c == DOT_ABOVE && previous >= 0 && UCharacter.hasBinaryProperty(previous, UProperty.SOFT_DOTTED)) {
                continue;
            }
            previous = c;
            drawn.appendCodePoint(isDash(c) ? '-' : c);
        }
        return drawn.toString();
    }

    private static boolean isDash(int c) {
        return UCharacter.getType(c) == UCharacter.DASH_PUNCTUATION || c == KATAKANA_PROLONGED_SOUND;
    }

    private static String skeleton(String text) {
        return SPOOF.getSkeleton(text);
    }
}
