package chatroom.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    private final OriginPolicy policy = new OriginPolicy(List.of("https://chat.example.com/"));

    @Test
    void noOriginSameOriginAndAllowListedArePermitted() {
        assertTrue(policy.permits(null, "127.0.0.1:8080"));
        assertTrue(policy.permits("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assertTrue(policy.permits("HTTPS://Chat.Example.com", "10.0.0.5:8080"));
        assertTrue(policy.permits("https://chat.internal", "chat.internal"), "TLS ended at a proxy that keeps Host");
    }

    @Test
    void otherOriginsAreRefused() {
        assertFalse(policy.permits("http://evil.example", "127.0.0.1:8080"));
        assertFalse(policy.permits("http://127.0.0.1:9999", "127.0.0.1:8080"));
        assertFalse(policy.permits("null", "127.0.0.1:8080"));
        assertFalse(policy.permits("http://127.0.0.1:8080", null));
    }

    @Test
    void aHostThatLostItsPortIsAnotherSite() {
        // What a proxy forwarding nginx's $host sends: the server cannot tell which port the page came from.
        assertFalse(policy.permits("http://chat.internal:8080", "chat.internal"));
        assertTrue(policy.permits("http://chat.internal:8080", "chat.internal:8080"));
    }
}
