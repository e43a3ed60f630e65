package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** On a synthetic clock: exact and instant. */
class AddressBudgetTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong();

    private AddressBudget budget(double perSecond, int burst, int maxAddresses) {
        return new AddressBudget(perSecond, burst, maxAddresses, now::get);
    }

    @Test
    void eachAddressHasItsOwnBurstThenTheRate() {
        AddressBudget budget = budget(1 / 6.0, 3, 100);   // 10 a minute, 3 at once
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.tryAcquire("10.0.0.1"));
        }
        assertFalse(budget.tryAcquire("10.0.0.1"));
        assertTrue(budget.tryAcquire("10.0.0.2"), "another address is not affected");
        now.addAndGet(5 * SECOND);
        assertFalse(budget.tryAcquire("10.0.0.1"), "one token takes six seconds");
        now.addAndGet(SECOND + 1000);
        assertTrue(budget.tryAcquire("10.0.0.1"));
        assertFalse(budget.tryAcquire("10.0.0.1"));
    }

    @Test
    void idleAddressesAreForgotten() {
        AddressBudget budget = budget(1, 2, 100);
        for (int i = 0; i < 50; i++) {
            budget.tryAcquire("10.0.1." + i);
        }
        assertEquals(50, budget.size());
        now.addAndGet(2 * SECOND + 1);   // a full refill: each bucket is as good as new
        assertTrue(budget.tryAcquire("10.0.2.1"));
        assertEquals(1, budget.size(), "only the address that just acted is kept");
    }

    @Test
    void aFullTableForgetsTheClientThatActedLongestAgoNeverTheNewcomer() {
        AddressBudget budget = budget(1 / 60.0, 2, 3);   // one a minute, two at once: nothing refills in this test
        assertTrue(budget.tryAcquire("a"));
        now.addAndGet(1000);
        assertTrue(budget.tryAcquire("b"));
        now.addAndGet(1000);
        assertTrue(budget.tryAcquire("c"));
        now.addAndGet(1000);
        assertTrue(budget.tryAcquire("a"), "a acted again: now b acted longest ago");
        assertFalse(budget.tryAcquire("a"), "and a's two tokens are spent");
        assertTrue(budget.tryAcquire("d"), "a fourth client while three are tracked: judged by its own bucket");
        assertEquals(3, budget.size());
        assertFalse(budget.tryAcquire("a"), "the clients still tracked keep what they spent");
        assertTrue(budget.tryAcquire("b"), "b was forgotten: it starts afresh, as if it had been idle");
    }

    @Test
    void aRefusedAttemptCostsOnlyItsOwnClient() {
        AddressBudget budget = budget(1 / 60.0, 3, 100);
        for (int i = 0; i < 10; i++) {
            budget.tryAcquire("2001:db8:1:2:0:0:0:0/64");   // empty or invalid claims count like any other
        }
        assertFalse(budget.tryAcquire("2001:db8:1:2:0:0:0:0/64"));
        assertTrue(budget.tryAcquire("2001:db8:1:3:0:0:0:0/64"));
        assertEquals(2, budget.size());
    }
}
