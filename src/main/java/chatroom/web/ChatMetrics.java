package chatroom.web;

import chatroom.log.MessageLog;
import chatroom.room.Expulsion;
import chatroom.room.RoomCounters;
import chatroom.room.Rooms;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The room's figures as Prometheus metrics. Every meter reads the room's own counters when scraped, so the
 * broadcast path never touches the registry.
 */
final class ChatMetrics {
    private ChatMetrics() {
    }

    static PrometheusMeterRegistry registryFor(Rooms rooms, MessageLog log) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RoomCounters counters = rooms.counters();
        gauge(registry, "chat.connections", "Open WebSocket connections", rooms, Rooms::connections);
        gauge(registry, "chat.rooms", "Rooms in memory", rooms, r -> r.live().size());
        gauge(registry, "chat.history.size", "Messages retained for resume", log, MessageLog::retainedCount);
        gauge(registry, "chat.outbox.bytes", "Bytes of live frames waiting in all outboxes", rooms,
                r -> r.queuedBytes().sum());
        gauge(registry, "chat.outbox.largest.bytes",
                "Bytes waiting in the fullest outbox (bounded by chat.outbox.maxBytes)",
                rooms, r -> r.queuedBytes().max().orElse(0));
        counter(registry, "chat.messages.received", "Text frames received from clients", counters.received());
        counter(registry, "chat.messages.accepted", "Messages accepted and broadcast", counters.accepted());
        counter(registry, "chat.messages.refused", "Messages refused as malformed, empty or too long",
                counters.refused());
        counter(registry, "chat.messages.rate.limited", "Messages refused by the rate limit", counters.rateLimited());
        counter(registry, "chat.messages.duplicate", "Re-sent messages recognised by their cid", counters.duplicates());
        counter(registry, "chat.send.failures", "Async sends that failed", counters.sendFailures());
        counter(registry, "chat.deliveries", "Frames queued to members (one per recipient per broadcast)",
                counters.deliveries());
        for (Expulsion why : Expulsion.values()) {
            FunctionCounter.builder("chat.closes", counters.expulsions(why), LongAdder::doubleValue)
                    .description("Connections closed by the server, by reason")
                    .tag("reason", why.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        return registry;
    }

    private static <T> void gauge(MeterRegistry registry, String name, String help, T source,
            ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(help).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String help, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::doubleValue).description(help).register(registry);
    }
}
