package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedTomcat;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

class TomcatDataSourceIT extends ContainerDataSourceContract {
    @Override
    ChatServer start(Map<String, String> contextParams, PGSimpleDataSource dataSource) {
        return EmbeddedTomcat.start(contextParams, 0, "", dataSource);
    }
}
