package chatroom;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Creates the room when the webapp starts and shuts it down (every session closed with 1001) when it stops.
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
    record Services(ChatSettings settings, Room room, Nicknames nicknames, OriginPolicy origins,
                    PrometheusMeterRegistry metrics) {
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
        Room room = new Room(settings, settings.redisUrl() == null ? Room.idsAfterNow() : 0);
        if (settings.redisUrl() != null) {
            RedisBackplane backplane = new RedisBackplane(settings.redisUrl(), settings, room);
            room.useBackplane(backplane);
            backplane.start();
        }
        services = new Services(settings, room, new Nicknames(), new OriginPolicy(settings.allowedOrigins()),
                ChatMetrics.registryFor(room));
        LOG.log(System.Logger.Level.INFO, "chat room started: {0}", settings);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Services stopping = services;
        services = null;
        if (stopping != null) {
            RedisBackplane backplane = stopping.room().backplane();
            if (backplane != null) {
                backplane.close();
            }
            stopping.room().shutdown();
            stopping.metrics().close();
        }
    }
}
