package chatroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.room.ManualClock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Budgets keyed by address and by nickname, and the cap on an address's connections, by a clock moved by hand. */
class ClientBudgetsTest {
    private final ManualClock clock = new ManualClock();

    private static int taken(ClientBudgets budgets, String address, String name, int tries, long nowNanos) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            if (budgets.take(address, name, nowNanos)) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void oneAddressGetsItsBurstThenItsRateWhateverNamesItUses() {
        ClientBudgets budgets = new ClientBudgets(100, 200, 20, 40);
        assertEquals(200, taken(budgets, "10.0.0.1", null, 1200, clock.nanoTime()),
                "thirty guests' bursts: the address's");
        assertEquals(40, taken(budgets, "10.0.0.2", "alice", 100, clock.nanoTime()), "another address, one nickname");
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(100, taken(budgets, "10.0.0.1", null, 1000, clock.nanoTime()), "refilled at the address's rate");
        assertEquals(20, taken(budgets, "10.0.0.3", "alice", 100, clock.nanoTime()),
                "alice's tabs share hers wherever they are");
    }

    @Test
    void idleBucketsAreForgottenOnceTheyWouldBeFullAgain() {
        ClientBudgets budgets = new ClientBudgets(100, 200, 20, 40);
        budgets.take("10.0.0.1", "alice", clock.nanoTime());
        assertEquals(2, budgets.size());
        clock.advance(5, TimeUnit.SECONDS);
        budgets.evictIdle(clock.nanoTime());
        assertEquals(2, budgets.size(), "still draining its abuse meter");
        clock.advance(20, TimeUnit.SECONDS);
        budgets.evictIdle(clock.nanoTime());
        assertEquals(0, budgets.size());
    }

    @Test
    void aFullTableOfBucketsRefusesNoStranger() {
        ClientBudgets budgets = new ClientBudgets(1, 2, 1, 2, 100);
        long now = clock.nanoTime();
        assertEquals(2, taken(budgets, "2001:db8:0:1:0:0:0:0/64", null, 10, now));
        for (int i = 0; i < 1000; i++) {
            assertTrue(budgets.take("2001:db8:1:" + Integer.toHexString(i) + ":0:0:0:0/64", null, now),
                    "stranger " + i);
        }
        assertEquals(100, budgets.size());
        assertEquals(2, taken(budgets, "198.51.100.7", "alice", 10, now), "a newcomer gets its whole burst");
    }

    @Test
    void anAddressHoldsAtMostItsCapOfConnections() {
        AddressConnections connections = new AddressConnections(2);
        assertTrue(connections.open("10.0.0.1"));
        assertTrue(connections.open("10.0.0.1"));
        assertFalse(connections.admits("10.0.0.1"));
        assertFalse(connections.open("10.0.0.1"), "over the cap: refused, not counted");
        assertTrue(connections.open("10.0.0.2"), "another address is not affected");
        connections.closed("10.0.0.1");
        assertTrue(connections.open("10.0.0.1"), "a closed connection frees its place");
        connections.closed("10.0.0.1");
        connections.closed("10.0.0.1");
        connections.closed("10.0.0.2");
        assertEquals(0, connections.addresses(), "an address with no connection is forgotten");
        assertTrue(connections.open(null), "unknown address: no cap");
    }
}
