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
    void atMostMaxAddressesAreTrackedAndKnownOnesKeepTheirBudget() {
        AddressBudget budget = budget(1, 2, 3);
        assertTrue(budget.tryAcquire("a"));
        assertTrue(budget.tryAcquire("b"));
        assertTrue(budget.tryAcquire("c"));
        assertFalse(budget.tryAcquire("d"), "a fourth address while three are busy");
        assertEquals(3, budget.size());
        assertTrue(budget.tryAcquire("a"), "a known address still has its second token");
        now.addAndGet(2 * SECOND);
        assertTrue(budget.tryAcquire("d"), "room again once the others went idle");
    }
}
