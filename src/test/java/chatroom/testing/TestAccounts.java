package chatroom.testing;

import java.nio.file.Path;

/**
 * The accounts every test container's realm holds (src/test/resources/accounts): {@link #MOD} has the role
 * chat-moderator, {@link #ANN} no role.
 */
public final class TestAccounts {
    public static final String MOD = "mod";
    public static final String MOD_PASSWORD = "mod-secret-1";
    public static final String ANN = "ann";
    public static final String ANN_PASSWORD = "ann-secret-1";
    /** The realm's name in web.xml's login-config. */
    static final String REALM = "chatroom";
    static final Path DIR = Path.of("src/test/resources/accounts").toAbsolutePath();
    /** For Jetty's HashLoginService. */
    static final Path JETTY_REALM = DIR.resolve("realm.properties");
    /** For Tomcat's MemoryRealm and UserDatabaseRealm. */
    static final Path TOMCAT_USERS = DIR.resolve("tomcat-users.xml");

    private TestAccounts() {
    }
}
