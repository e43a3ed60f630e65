package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.ChatServer;
import chatroom.testing.PostgresServer;
import chatroom.testing.SignIn;
import chatroom.testing.SignInSetups;
import chatroom.testing.StandaloneJetty;
import chatroom.testing.StandaloneTomcat;
import chatroom.testing.TestAccounts;
import chatroom.testing.WebSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.catalina.realm.SecretKeyCredentialHandler;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The packaged WAR in the standalone distributions, signed in against each realm the README shows, set up with
 * exactly its snippets (read from the document): Tomcat's tomcat-users.xml, Tomcat's DataSourceRealm on
 * PostgreSQL, Jetty's HashLoginService.
 */
class StandaloneSignInIT {
    @Test
    void tomcatSignsInFromTomcatUsersXml() {
        try (StandaloneTomcat tomcat = StandaloneTomcat.start(base -> Files.writeString(
                base.resolve("conf/tomcat-users.xml"), SignInSetups.snippet("tomcat-users")))) {
            assertBothAccountsSignIn(tomcat);
        }
    }

    @Test
    void tomcatSignsInFromPostgresThroughDataSourceRealm() throws SQLException {
        try (PostgresServer postgres = PostgresServer.start()) {
            PGSimpleDataSource database = postgres.createDatabase("chatroom");
            try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
                sql.execute(SignInSetups.snippet("accounts-sql"));
                sql.execute(SignInSetups.snippet("accounts-rows")
                        .replace("<hash of mod-secret-1>", hash(TestAccounts.MOD_PASSWORD))
                        .replace("<hash of ann-secret-1>", hash(TestAccounts.ANN_PASSWORD)));
            }
            String context = SignInSetups.snippet("tomcat-datasource-realm")
                    .replace("127.0.0.1:5432/chatroom", "127.0.0.1:" + postgres.port() + "/chatroom")
                    .replace("username=\"chat\"", "username=\"" + postgres.user() + "\"");
            try (StandaloneTomcat tomcat = StandaloneTomcat.start(base -> {
                Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation()
                        .getPath());
                Files.copy(driver, Files.createDirectories(base.resolve("lib")).resolve(driver.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
                Path contexts = Files.createDirectories(base.resolve("conf/Catalina/localhost"));
                Files.writeString(contexts.resolve("chatroom.xml"), context);
            })) {
                assertBothAccountsSignIn(tomcat);
            }
        }
    }

    @Test
    void jettySignsInFromHashLoginService() {
        // StandaloneJetty's base always has the README's HashLoginService: Jetty starts no webapp without one.
        try (StandaloneJetty jetty = StandaloneJetty.start()) {
            assertBothAccountsSignIn(jetty);
        }
    }

    private static void assertBothAccountsSignIn(ChatServer server) {
        String mod = SignIn.as(new WebSession(server), TestAccounts.MOD, TestAccounts.MOD_PASSWORD).getPage().body();
        assertTrue(mod.contains("data-user=\"mod\""), server.containerName() + ": " + mod);
        assertTrue(mod.contains("data-moderator=\"true\""));
        String ann = SignIn.as(new WebSession(server), TestAccounts.ANN, TestAccounts.ANN_PASSWORD).getPage().body();
        assertTrue(ann.contains("data-user=\"ann\""), ann);
        assertTrue(ann.contains("data-moderator=\"false\""));
        SignIn.Steps wrong = SignIn.attempt(new WebSession(server), TestAccounts.ANN, "wrong", "/");
        assertNull(wrong.landing(), server.containerName() + ": a wrong password signs nobody in");
        assertEquals(200, wrong.check().statusCode());
    }

    /** As {@code digest.sh} with the README's handler settings makes it (the same class does the work). */
    private static String hash(String password) {
        try {
            SecretKeyCredentialHandler handler = new SecretKeyCredentialHandler();
            handler.setAlgorithm("PBKDF2WithHmacSHA512");
            handler.setIterations(210_000);
            handler.setSaltLength(16);
            handler.setKeyLength(256);
            return handler.mutate(password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
