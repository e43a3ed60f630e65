package chatroom.web;

import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

/**
 * An ended or expired HttpSession gives its nickname back, once no connection that joined under it is open; a
 * session given a new id keeps its nickname.
 */
@WebListener
public class NicknameReleaser implements HttpSessionListener, HttpSessionIdListener {
    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
        ChatApplication.Services services = ChatApplication.servicesOrNull();
        if (services != null) {
            services.nicknames().sessionIdChanged(oldSessionId, event.getSession().getId());
        }
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        ChatApplication.Services services = ChatApplication.servicesOrNull();
        if (services != null) {
            services.nicknames().release(event.getSession());
        }
    }
}
