package chatroom.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Every error the container would answer with its own page (unknown path, wrong method, an exception) gets the
 * project's JSON error instead (web.xml's {@code <error-page>}s point here): no stack trace, no server name or
 * version, the same shape in every container. The exception, if any, is logged in one line for the operator.
 */
@WebServlet("/error")
public class ErrorServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(ErrorServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                ? code : HttpServletResponse.SC_NOT_FOUND;
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable error) {
            // The container's status stands when it says the client was at fault: Jetty refuses a WebSocket
            // handshake without Sec-WebSocket-Key by throwing an exception that carries 400.
            boolean clientFault = status >= 400 && status < 500;
            if (!clientFault) {
                status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            }
            LOG.log(clientFault ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    "error answering " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + ": " + error);
        }
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        JsonError.send(response, status, code(status), message(status));
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "server_error" : "bad_request";
        };
    }

    private static String message(int status) {
        return switch (status) {
            case 403 -> "Not allowed.";
            case 404 -> "Nothing here.";
            case 405 -> "This method is not allowed here.";
            case 413 -> "The request is too large.";
            case 503 -> "The chat room is not available right now. Try again shortly.";
            default -> status >= 500 ? "Something went wrong on the server." : "The request could not be understood.";
        };
    }
}
