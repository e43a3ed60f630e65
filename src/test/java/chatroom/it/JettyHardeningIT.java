package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import java.util.Map;

class JettyHardeningIT extends HardeningContract {
    @Override
    ChatServer start(Map<String, String> contextParams) {
        return EmbeddedJetty.start(contextParams);
    }

    /**
     * Jetty's session.close returns at once; the close frame waits behind the stuck data and arrives once the
     * peer reads.
     */
    @Override
    boolean slowReaderGetsTheCloseFrame() {
        return true;
    }
}
