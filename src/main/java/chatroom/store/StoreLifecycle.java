package chatroom.store;

import chatroom.ChatSettings;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.time.Clock;

/**
 * Opens the webapp's store at start (the container's DataSource or the embedded file, schema migrated, retention
 * purge running) and closes it at stop. Others find it with {@link #storeOf(ServletContext)}.
 *
 * <p>Not yet wired into the room (issue 11, phase 2): the room does not store what it accepts yet, so the store
 * serves what was stored before and {@code /history} answers from it.
 */
@WebListener
public class StoreLifecycle implements ServletContextListener {
    private static final System.Logger LOG = System.getLogger(StoreLifecycle.class.getName());
    private static final String ATTRIBUTE = DurableStore.class.getName();

    /** The running store, or null before start, after stop, or when the webapp runs without one. */
    public static DurableStore storeOf(ServletContext context) {
        return (DurableStore) context.getAttribute(ATTRIBUTE);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        StoreSettings settings = ChatSettings.from(context).store();
        if (!settings.enabled()) {
            LOG.log(System.Logger.Level.INFO, "chat history is not stored (chat.store.enabled=false)");
            return;
        }
        DurableStore store = DurableStore.open(settings, context.getContextPath(), Clock.systemUTC());
        context.setAttribute(ATTRIBUTE, store);
        LOG.log(System.Logger.Level.INFO, "chat history stored in {0}", store.description());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        DurableStore store = storeOf(event.getServletContext());
        event.getServletContext().removeAttribute(ATTRIBUTE);
        if (store != null) {
            store.close();
        }
    }
}
