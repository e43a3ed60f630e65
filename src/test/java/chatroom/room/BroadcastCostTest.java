package chatroom.room;

import static org.junit.jupiter.api.Assertions.assertTrue;
import chatroom.ChatSettings;
import chatroom.Clock;
import chatroom.connection.FakePeer;
import chatroom.connection.FakeRemote;
import chatroom.log.MemoryLog;
import chatroom.wire.Protocol;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broadcast path allocates per message, never per recipient: each message is encoded once per protocol and
 * the same frame goes into every outbox. Measured on this thread, where sends that complete inline run too.
 */
class BroadcastCostTest {
    private static final int MEMBERS = 1000;
    private static final int MESSAGES = 500;

    @Test
    void aBroadcastAllocatesNothingPerRecipient() {
        Map<String, String> values = Map.of("rate.perSecond", "1000000", "rate.burst", "1000000");
        ChatSettings settings = ChatSettings.read(values::get);
        MemoryLog log = new MemoryLog(settings.historySize(), 0);
        Rooms rooms = new Rooms(settings, log, Clock.SYSTEM, Runnable::run, FanOut.inline());
        log.start(rooms);
        Room room = rooms.defaultRoom();
        List<FakeRemote> remotes = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            FakeRemote remote = FakeRemote.counting();
            remotes.add(remote);
            room.join(new FakePeer(remote), i % 2 == 0 ? Protocol.PLAIN : Protocol.CHAT_V1, "member" + i, null);
        }
        Member sender = room.join(new FakePeer(FakeRemote.counting()), Protocol.PLAIN, "sender", null);
        broadcast(room, sender, MESSAGES); // warm-up: JIT, and every outbox's queue at its working size

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long bytesBefore = threads.getThreadAllocatedBytes(thread);
        long started = System.nanoTime();
        broadcast(room, sender, MESSAGES);
        long nanos = System.nanoTime() - started;
        long bytes = threads.getThreadAllocatedBytes(thread) - bytesBefore;

        long deliveries = (long) MESSAGES * (MEMBERS + 1);
        double bytesPerDelivery = (double) bytes / deliveries;
        System.out.printf("[broadcast] %d members, %d messages: %.1f ns and %.2f bytes allocated per delivery"
                + " (%.0f bytes per message)%n", MEMBERS + 1, MESSAGES, (double) nanos / deliveries, bytesPerDelivery,
                (double) bytes / MESSAGES);
        for (FakeRemote remote : remotes) {
            assertTrue(remote.sends() >= 2 * MESSAGES, "every message sent, each completing inline");
        }
        // The per-message work (parse, id, JSON, history) spread over 1,001 recipients is well under 8 bytes each;
        // one object per recipient would be 16 or more.
        assertTrue(bytesPerDelivery < 8, bytesPerDelivery + " bytes per delivery");
    }

    private static void broadcast(Room room, Member sender, int count) {
        for (int i = 0; i < count; i++) {
            room.receive(sender, "message " + i);
        }
    }
}
