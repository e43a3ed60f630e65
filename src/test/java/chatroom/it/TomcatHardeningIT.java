package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedTomcat;
import java.util.Map;

class TomcatHardeningIT extends HardeningContract {
    @Override
    ChatServer start(Map<String, String> contextParams) {
        return EmbeddedTomcat.start(contextParams);
    }

    /**
     * Tomcat's session.close waits about 50 ms for the message in progress, then drops the connection without a
     * close frame: the peer reads what was buffered, then the end of the stream in the middle of a frame.
     */
    @Override
    boolean slowReaderGetsTheCloseFrame() {
        return false;
    }
}
