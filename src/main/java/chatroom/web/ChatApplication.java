package chatroom.web;

import chatroom.ChatSettings;
import chatroom.Clock;
import chatroom.Guests;
import chatroom.moderation.Moderation;
import chatroom.nickname.Nicknames;
import chatroom.room.Housekeeping;
import chatroom.room.Rooms;
import chatroom.store.DurableStore;
import chatroom.store.JdbcDrivers;
import chatroom.store.StoreSpace;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the room when the webapp starts and shuts it down (every session closed with 1001) when it stops: the
 * backend (log, presence and names), the room as their listener, its housekeeping and its two threads for closes and
 * pings.
 *
 * <p>The endpoint, its configurator and the servlets are created by the container, which offers no way to hand
 * them shared objects; they find them here. Each deployment has its own class loader, so two webapps in one
 * JVM (as in the tests) each have their own room.
 */
@WebListener
public class ChatApplication implements ServletContextListener {
    private static final System.Logger LOG = System.getLogger(ChatApplication.class.getName());
    private static volatile Services services;

    /** What the container-created objects share. */
    record Services(ChatSettings settings, Rooms rooms, Backend backend, DurableStore store, Nicknames nicknames,
                    Moderation moderation, OriginPolicy origins, PrometheusMeterRegistry metrics,
                    ScheduledExecutorService housekeeping, ExecutorService io, Handover handover) {
    }

    static Services services() {
        Services current = services;
        if (current == null) {
            throw new IllegalStateException("the chat application is not running");
        }
        return current;
    }

    static Services servicesOrNull() {
        return services;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ChatSettings settings = ChatSettings.from(event.getServletContext());
        IdleBuffers.apply(event.getServletContext());
        SessionCookie.apply(event.getServletContext(), settings.sessionHostCookie());
        String contextPath = event.getServletContext().getContextPath();
        // A deployment still running on the same database file stops first (Jetty starts the new one before it
        // stops the old): one deployment per file.
        Handover handover = !settings.store().enabled() ? null
                : DurableStore.embeddedFile(settings.store(), contextPath)
                .map(file -> Handover.claim(file, ChatApplication::stop)).orElse(null);
        try {
            start(settings, contextPath, handover);
        } catch (RuntimeException | Error e) {
            if (handover != null) {
                handover.release();
            }
            throw e;
        }
    }

    private static void start(ChatSettings settings, String contextPath, Handover handover) {
        // The store first: a directory that cannot be written stops the start here, before any thread exists.
        DurableStore store = openStore(settings, contextPath);
        // Session closes and pings: both may block on a congested peer, so never on a broadcasting thread.
        ExecutorService io = Executors.newFixedThreadPool(2, daemon("chat-io"));
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("chat-housekeeping"));
        Backend backend = Backend.from(settings, store == null ? null : store.messages(),
                store == null ? StoreSpace.UNWATCHED : store.space());
        Moderation moderation = Moderation.create(Clock.SYSTEM,
                store == null ? null : store.messages().dataSource(), backend.redis(),
                settings.guests() == Guests.POST, settings.historySize());
        Rooms rooms = new Rooms(settings, backend.log(), Clock.SYSTEM, io, backend.fanOut(), moderation);
        moderation.start(rooms, backend.log());
        backend.log().start(rooms);
        backend.presence().start(rooms);
        rooms.defaultRoom(); // in memory from the start: the first page shows its history at once
        Nicknames nicknames = new Nicknames(backend.names());
        backend.names().start(nicknames);
        housekeeping.scheduleWithFixedDelay(new Housekeeping(rooms, settings, Clock.SYSTEM),
                Housekeeping.PERIOD_MILLIS, Housekeeping.PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        // Presence held back waits at most a tenth of an interval past its due time.
        long presencePeriod = Math.max(10, settings.presenceIntervalMillis() / 10);
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                rooms.publishPresence();
            } catch (RuntimeException e) { // a scheduled task that throws is never run again
                LOG.log(System.Logger.Level.WARNING, "presence publishing failed", e);
            }
        }, presencePeriod, presencePeriod, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                moderation.forgetEnded();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "forgetting ended bans and mutes failed", e);
            }
        }, 10, 10, TimeUnit.SECONDS);
        services = new Services(settings, rooms, backend, store, nicknames, moderation,
                new OriginPolicy(settings.allowedOrigins()), ChatMetrics.registryFor(rooms, backend.log()),
                housekeeping, io,
                handover);
        LOG.log(System.Logger.Level.INFO, "chat room started: {0}", settings);
    }

    private static DurableStore openStore(ChatSettings settings, String contextPath) {
        if (!settings.store().enabled()) {
            LOG.log(System.Logger.Level.INFO, "chat history is kept in memory only (chat.store.enabled=false)");
            return null;
        }
        DurableStore store = DurableStore.open(settings.store(), contextPath, java.time.Clock.systemUTC(),
                settings.rooms().defaultRoom());
        LOG.log(System.Logger.Level.INFO, "chat history stored in {0}", store.description());
        return store;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try {
            stop();
        } finally {
            JdbcDrivers.deregisterLoadedBy(ChatApplication.class.getClassLoader());
        }
    }

    /**
     * Stops the room and everything it started, and waits for their threads: a webapp must leave no thread behind on
     * undeploy (its class loader would stay; Tomcat reports them as leaks). Once only, whoever calls first: the
     * container, or the next deployment through {@link Handover}.
     */
    private static void stop() {
        Services stopping;
        synchronized (ChatApplication.class) {
            stopping = services;
            services = null;
        }
        if (stopping == null) {
            return;
        }
        // The log stores what was already appended (its senders hear of it) before the room closes the sessions.
        stopping.moderation().close(); // its reader uses the backend's client
        stopping.backend().close();
        if (stopping.store() != null) {
            stopping.store().close();
        }
        stopping.housekeeping().shutdownNow();
        stopping.rooms().shutdown();
        stopping.io().shutdown();
        try {
            stopping.housekeeping().awaitTermination(5, TimeUnit.SECONDS);
            if (!stopping.io().awaitTermination(10, TimeUnit.SECONDS)) {
                stopping.io().shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopping.metrics().close();
        if (stopping.handover() != null) {
            stopping.handover().release();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
