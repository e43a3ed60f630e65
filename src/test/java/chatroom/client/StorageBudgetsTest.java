package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StorageBudgetsTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void aClientMayStoreItsDayThenWhatRefillsEachHour() {
        StorageBudgets budgets = new StorageBudgets(24_000);
        assertTrue(budgets.take("198.51.100.7", 20_000, 0));
        assertTrue(budgets.take("198.51.100.7", 4_000, 0));
        assertFalse(budgets.take("198.51.100.7", 1, 0), "the day is spent");
        assertTrue(budgets.take("198.51.100.8", 24_000, 0), "another client has a day of its own");
        assertFalse(budgets.take("198.51.100.7", 1_001, HOUR), "an hour gives back a 24th of the day");
        assertTrue(budgets.take("198.51.100.7", 1_000, HOUR));
        assertTrue(budgets.take("198.51.100.7", 24_000, 30 * HOUR), "a day later, all of it");
    }

    @Test
    void aRefusedMessageTakesNothing() {
        StorageBudgets budgets = new StorageBudgets(1000);
        assertFalse(budgets.take("2001:db8:1:2:0:0:0:0/64", 1001, 0));
        assertTrue(budgets.take("2001:db8:1:2:0:0:0:0/64", 1000, 0));
    }

    @Test
    void zeroOrAnUnknownClientIsNoLimit() {
        assertTrue(new StorageBudgets(0).take("198.51.100.7", Long.MAX_VALUE, 0));
        assertTrue(new StorageBudgets(10).take(null, 1000, 0));
    }

    @Test
    void aFullTableRefusesNoNewcomer() {
        StorageBudgets budgets = new StorageBudgets(100, 10);
        for (int i = 0; i < 1000; i++) {
            assertTrue(budgets.take("10.0." + (i >> 8) + "." + (i & 255), 100, i), "client " + i);
        }
        assertTrue(budgets.take("192.0.2.1", 100, 1000));
    }

    @Test
    void aMessageCostsItsTextNameAndClientIdInUtf8() {
        assertEquals(5 + 5 + 2 + StorageBudgets.ROW_OVERHEAD,
                StorageBudgets.cost("héllo".substring(0, 4), "alice", "c1"));
        assertEquals(4 + 3 + StorageBudgets.ROW_OVERHEAD, StorageBudgets.cost("\uD83D\uDE00", "bob", null));
    }
}
