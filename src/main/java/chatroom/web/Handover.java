package chatroom.web;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One running deployment per embedded database file in a JVM. Jetty's hot redeploy starts the new deployment before
 * it stops the old one, and for those seconds two rooms would share the file: each would give out the same ids, and
 * neither would see what the other stored. So a starting deployment first has the running one stop its room
 * (sessions closed with 1001, every accepted message stored); its users reconnect to the new one and resume.
 *
 * <p>The two deployments share no class, so they meet in the JVM's platform MBean server, which every class loader
 * sees: the running deployment registers an MBean named for the file, and unregisters it when it stops, so nothing
 * of it stays reachable from there.
 */
final class Handover {
    private static final System.Logger LOG = System.getLogger(Handover.class.getName());
    private static final int ATTEMPTS = 3;

    /** What the platform MBean server holds for the running deployment. */
    public interface RunningMBean {
        /** Stops that deployment's room; returns once it has stopped. */
        void stop();
    }

    /** Public, as a standard MBean must be. */
    public static final class Running implements RunningMBean {
        private final Runnable stop;
        private final ClassLoader loader;

        Running(Runnable stop, ClassLoader loader) {
            this.stop = stop;
            this.loader = loader;
        }

        @Override
        public void stop() {
            // Called from the other deployment's thread: run the stop with this deployment's classes.
            Thread thread = Thread.currentThread();
            ClassLoader caller = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                stop.run();
            } finally {
                thread.setContextClassLoader(caller);
            }
        }
    }

    private final MBeanServer server;
    private final ObjectName name;

    private Handover(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Stops the deployment running on {@code databaseFile}, if any, and registers this one, whose room
     * {@code stop} stops (and must call {@link #release()}).
     */
    static Handover claim(Path databaseFile, Runnable stop) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName("chatroom:type=Deployment,store="
                    + ObjectName.quote(databaseFile.toAbsolutePath().toString()));
            for (int attempt = 1; ; attempt++) {
                try {
                    server.registerMBean(new Running(stop, Handover.class.getClassLoader()), name);
                    return new Handover(server, name);
                } catch (InstanceAlreadyExistsException running) {
                    if (attempt == ATTEMPTS) {
                        throw new IllegalStateException("another deployment keeps running on " + databaseFile, running);
                    }
                    LOG.log(System.Logger.Level.INFO, "stopping the deployment running on {0} first", databaseFile);
                    try {
                        server.invoke(name, "stop", null, null);
                    } catch (InstanceNotFoundException stoppedMeanwhile) {
                        // it stopped by itself: register again
                    }
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the deployment of " + databaseFile, e);
        }
    }

    /** This deployment has stopped: nothing of it stays registered. */
    void release() {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException alreadyGone) {
            // released before
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "could not unregister " + name, e);
        }
    }
}
