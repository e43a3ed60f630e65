package chatroom.web;

import chatroom.client.RequestSource;
import chatroom.client.TrustedProxies;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Remembers where the request this thread is serving comes from and which host it was sent to (see
 * {@link TrustedProxies}).
 *
 * <p>{@code Configurator.checkOrigin} receives only the Origin, yet "same origin" needs the Host, and the
 * handshake API offers no peer address at all. A filter cannot help: Jetty puts its upgrade filter before every
 * application filter. A request listener runs before any filter in every container, on the thread that performs
 * the handshake.
 */
@WebListener
public class RequestHost implements ServletRequestListener {
    private static final ThreadLocal<RequestSource> SOURCE = new ThreadLocal<>();
    private static final ThreadLocal<HttpServletRequest> REQUEST = new ThreadLocal<>();

    /** The source of the request this thread serves; null outside a request. */
    static RequestSource current() {
        return SOURCE.get();
    }

    /**
     * The request this thread serves (null outside one): by the time a handshake's {@code checkOrigin} runs, the
     * container has authenticated it, so it knows who is signed in.
     */
    static HttpServletRequest currentRequest() {
        return REQUEST.get();
    }

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        if (event.getServletRequest() instanceof HttpServletRequest request) {
            ChatApplication.Services services = ChatApplication.servicesOrNull();
            TrustedProxies proxies = services == null ? TrustedProxies.none() : services.settings().trustedProxies();
            SOURCE.set(proxies.resolve(request));
            REQUEST.set(request);
        }
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        SOURCE.remove();
        REQUEST.remove();
    }
}
