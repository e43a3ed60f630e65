package chatroom.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import chatroom.wire.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
    private static ChatMessage message(long id, String cid) {
        return ChatMessage.create("general", id, "alice", "m" + id, 0, cid);
    }

    private static List<Long> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    @Test
    void keepsTheNewestUpToItsCapacity() {
        History history = new History(3);
        for (long id = 1; id <= 5; id++) {
            history.add(message(id, null));
        }
        assertEquals(3, history.size());
        assertEquals(2, history.completeAfter(), "complete after the newest message that fell out");
        assertEquals(List.of(3L, 4L, 5L), ids(history.after(0)));
        assertEquals(List.of(5L), ids(history.after(4)));
        assertEquals(List.of(), ids(history.after(5)));
        assertEquals(List.of(4L, 5L), ids(history.newest(2)));
    }

    @Test
    void clientIdsAreFoundPerUserAndForgottenWithTheirMessage() {
        History history = new History(2);
        ChatMessage first = message(1, "c-1");
        history.add(first);
        assertSame(first, history.findByClientId("alice", "c-1"));
        assertNull(history.findByClientId("bob", "c-1"));
        history.add(message(2, null));
        history.add(message(3, null));
        assertNull(history.findByClientId("alice", "c-1"), "evicted with its message");
    }
}
