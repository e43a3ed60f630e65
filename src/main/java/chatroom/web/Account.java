package chatroom.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.server.HandshakeRequest;
import java.security.Principal;

/**
 * Someone the container signed in (web.xml login-config, the container's realm): they chat under their account's
 * name, and moderate when their account has the role {@value HandshakeConfigurator#MODERATOR_ROLE}.
 */
record Account(String name, boolean moderator) {

    /** The request's signed-in person; null for a guest. */
    static Account of(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null
                : new Account(principal.getName(), request.isUserInRole(HandshakeConfigurator.MODERATOR_ROLE));
    }

    /** The same at the socket's handshake. */
    static Account of(HandshakeRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null
                : new Account(principal.getName(), request.isUserInRole(HandshakeConfigurator.MODERATOR_ROLE));
    }

    /**
     * Who a request chats as: the account's name when signed in (the account is then {@link #seen}), else the
     * nickname the guest's session holds; null for neither.
     */
    static String chatName(Account account, ChatApplication.Services services, HttpSession session) {
        if (account != null) {
            account.seen(services, session);
            return account.name();
        }
        return session == null ? null : services.nicknames().nameOf(session);
    }

    /**
     * The account showed up (signed in, loaded a page, opened a socket): its name is held for its session as a
     * claimed nickname is, so no guest can claim it or a look-alike while they are on, and reserved for good.
     * Cheap when both are done already.
     */
    void seen(ChatApplication.Services services, HttpSession session) {
        if (session != null) {
            services.nicknames().signIn(session, name);
        }
        services.moderation().reserve(name);
    }
}
