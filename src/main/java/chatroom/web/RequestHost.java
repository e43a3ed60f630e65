package chatroom.web;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Remembers the Host header of the request this thread is serving.
 *
 * <p>{@code Configurator.checkOrigin} receives only the Origin, yet "same origin" needs the Host. A filter cannot
 * help: Jetty puts its upgrade filter before every application filter. A request listener runs before any
 * filter in every container, on the thread that performs the handshake.
 */
@WebListener
public class RequestHost implements ServletRequestListener {
    private static final ThreadLocal<String> HOST = new ThreadLocal<>();

    static String current() {
        return HOST.get();
    }

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        if (event.getServletRequest() instanceof HttpServletRequest request) {
            HOST.set(request.getHeader("Host"));
        }
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        HOST.remove();
    }
}
