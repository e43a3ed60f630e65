package chatroom.web;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class NicknamesTest {
    @Test
    void validNames() {
        for (String name : new String[] {"a", "alice", "Zoë", "李小龙", "👩‍💻 dev", "x".repeat(32), "👋".repeat(32)}) {
            assertNull(Nicknames.problemWith(name), name);
        }
    }

    @Test
    void invalidNames() {
        for (String name : new String[] {"", "x".repeat(33), "tab\there", "new\nline", "nul\u0000", "sep\u2028", "guest-1", "Guest-x"}) {
            assertNotNull(Nicknames.problemWith(name), name);
        }
    }
}
