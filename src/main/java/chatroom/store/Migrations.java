package chatroom.store;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The store's schema, created and upgraded at start by Flyway from the versioned SQL files in
 * {@code chatroom/store/migration}. Flyway records what it applied in its own table and takes a lock while it
 * migrates, so nodes starting together against one PostgreSQL migrate once.
 */
final class Migrations {
    static final String LOCATION = "classpath:chatroom/store/migration";
    private static final String HISTORY_TABLE = "chat_schema_history";

    private Migrations() {
    }

    /** @param defaultRoom the room that messages stored before rooms existed belong to */
    static void migrate(DataSource dataSource, String defaultRoom) {
        migrate(dataSource, defaultRoom, MigrationVersion.LATEST);
    }

    /** Migrates up to {@code target} only: how a test builds a database as an older release left it. */
    static void migrate(DataSource dataSource, String defaultRoom, MigrationVersion target) {
        // The webapp's class loader, not the thread's: the SQL files live in this WAR.
        Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .target(target)
                .placeholders(Map.of("defaultRoom", defaultRoom))
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
