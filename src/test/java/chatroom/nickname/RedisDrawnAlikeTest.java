package chatroom.nickname;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chatroom.nickname.NameRegistry.Answer;
import chatroom.testing.RedisServer;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Across nodes, names drawn alike are one name too: the Redis registry is handed the keys {@link NicknameForm#keys}
 * makes, the same ones a node's own table uses, so a dash or a dotted capital I never splits a name in two.
 */
class RedisDrawnAlikeTest {
    private static List<String> keys(String name) {
        return NicknameForm.keys(NicknameForm.normalise(name));
    }

    @Test
    void namesDrawnAlikeAreOneNameOnEveryNode() {
        try (RedisServer server = RedisServer.start();
             RedisClient clientA = RedisClient.create(URI.create(server.url()));
             RedisClient clientB = RedisClient.create(URI.create(server.url()))) {
            RedisNames nodeA = new RedisNames(clientA, 10_000);
            RedisNames nodeB = new RedisNames(clientB, 10_000);
            assertEquals(Answer.GRANTED, nodeA.claim("a/1", keys("İzmir")));
            assertEquals(Answer.GRANTED, nodeA.claim("a/2", keys("mary-jane")));
            for (String same : List.of("izmir", "IZMIR", "ızmir")) {
                assertEquals(Answer.TAKEN, nodeB.claim("b/1", keys(same)), same);
            }
            for (String same : List.of("mary\u2010jane", "mary\u30FCjane", "mary\u1806jane", "MARY\u2014JANE")) {
                assertEquals(Answer.TAKEN, nodeB.claim("b/2", keys(same)), same);
            }
            assertEquals(Answer.GRANTED, nodeB.claim("b/3", keys("maryjane")),
                    "a name without the dash is another name");
        }
    }
}
