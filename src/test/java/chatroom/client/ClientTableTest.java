package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientTableTest {
    private static int touch(ClientTable<AtomicInteger> table, String key, long nowNanos) {
        return table.apply(key, nowNanos, AtomicInteger::new, AtomicInteger::incrementAndGet);
    }

    @Test
    void whenFullTheEntryUsedLongestAgoMakesRoom() {
        ClientTable<AtomicInteger> table = new ClientTable<>(3);
        touch(table, "a", 1);
        touch(table, "b", 2);
        touch(table, "c", 3);
        touch(table, "a", 4);
        assertEquals(1, touch(table, "d", 5), "a stranger always gets an entry of its own");
        assertEquals(3, table.size());
        assertEquals(1, table.evicted());
        assertEquals(3, touch(table, "a", 6), "a, used recently, kept its state");
        assertEquals(2, touch(table, "c", 7));
        assertEquals(1, touch(table, "b", 8), "b, used longest ago, was forgotten: it starts afresh");
    }

    @Test
    void manyStrangersKeepTheTableAtItsCapacity() {
        ClientTable<AtomicInteger> table = new ClientTable<>(1000);
        for (int i = 0; i < 50_000; i++) {
            assertEquals(1, touch(table, "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), i));
        }
        assertEquals(1000, table.size());
        assertEquals(49_000, table.evicted());
    }

    @Test
    void unusedEntriesAreForgottenFromTheOldestUp() {
        ClientTable<AtomicInteger> table = new ClientTable<>(10);
        String[] used = {"a", "b", "c", "a"};
        for (int i = 0; i < used.length; i++) {
            touch(table, used[i], 10L * (i + 1));   // a at 10 and 40, b at 20, c at 30
        }
        table.forgetUnusedSince(35);
        assertEquals(1, table.size(), "b and c unused since before 35; a used at 40");
        assertEquals(3, touch(table, "a", 50), "a kept its state");
        assertEquals(0, table.evicted(), "forgetting the idle is not eviction");
    }
}
