package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

class JettyDataSourceIT extends ContainerDataSourceContract {
    @Override
    ChatServer start(Map<String, String> contextParams, PGSimpleDataSource dataSource) {
        return EmbeddedJetty.start(contextParams, 0, "", dataSource);
    }
}
