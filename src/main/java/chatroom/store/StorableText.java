package chatroom.store;

/**
 * What PostgreSQL's text type cannot hold: the character U+0000 and UTF-16 surrogates without their pair (no UTF-8
 * form). SQLite would keep them, but one rule for every engine keeps a room's history portable between them.
 */
final class StorableText {
    private StorableText() {
    }

    /** Why one of the values cannot be stored, or null when all can. */
    static String problem(String sender, String text, String cid) {
        for (String value : new String[] {sender, text, cid}) {
            String problem = value == null ? null : problem(value);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "text holds U+0000, which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "text holds an unpaired surrogate, which cannot be stored";
            }
        }
        return null;
    }
}
