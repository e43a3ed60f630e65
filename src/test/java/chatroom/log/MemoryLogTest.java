package chatroom.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.wire.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class MemoryLogTest extends MessageLogContract {
    @Override
    MessageLog create(int capacity) {
        return new MemoryLog(capacity, 1000);
    }

    @Test
    void theListenerHearsAMessageBeforeItsAppendReturns() {
        MemoryLog log = new MemoryLog(10, 1000);
        Recorder listener = new Recorder();
        log.start(listener);
        CompletionStage<MessageLog.Appended> stage = log.append(new MessageLog.Draft("general", "alice",
                "hi", null, 0));
        assertTrue(stage.toCompletableFuture().isDone(), "completed inline");
        List<ChatMessage> heard = List.copyOf(listener.delivered);
        assertEquals(1, heard.size(), "delivered inside append: one node takes the same path as several");
        assertEquals(1001, heard.get(0).id());
        assertEquals(1, listener.flushes.availablePermits(), "and flushed once, before append returned");
        assertEquals(Map.of(), log.health());
    }

    @Test
    void aFreshLogStartsItsIdsAfterTheCurrentTime() {
        long micros = System.currentTimeMillis() * 1000;
        assertTrue(MemoryLog.startingNow(10).lastId() >= micros, "ids grow across restarts");
    }
}
