package chatroom.web;

import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/** An ended or expired HttpSession gives its nickname back, once no connection that joined under it is open. */
@WebListener
public class NicknameReleaser implements HttpSessionListener {
    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        ChatApplication.Services services = ChatApplication.servicesOrNull();
        if (services != null) {
            services.nicknames().release(event.getSession());
        }
    }
}
