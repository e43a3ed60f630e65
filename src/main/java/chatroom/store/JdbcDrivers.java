package chatroom.store;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;

/**
 * The JDBC drivers this webapp brought: SQLite's registers itself with {@link DriverManager} when its class is
 * loaded (and DriverManager loads every driver it finds through the webapp's class loader on first use). The
 * registry belongs to the JVM, so a driver left there keeps the webapp's class loader, and every class it loaded,
 * alive after an undeploy.
 */
public final class JdbcDrivers {
    private static final System.Logger LOG = System.getLogger(JdbcDrivers.class.getName());

    private JdbcDrivers() {
    }

    /** Deregisters every driver loaded by {@code loader}; the container's own drivers stay. */
    public static void deregisterLoadedBy(ClassLoader loader) {
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == loader) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not deregister the JDBC driver " + driver, e);
                }
            }
        }
    }
}
