package chatroom.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Sends the page and history (GET /history) gzip-compressed to clients that accept it: both are mostly
 * repetitive JSON, so 100 messages shrink several times. Compression is a connector setting in Tomcat (server.xml) and
 * a
 * handler in Jetty (jetty.xml), neither of which a WAR can set, hence this filter, which works the same in both.
 *
 * <p>Only HTML and JSON are compressed (static files are small and cached), decided when the content type is set
 * or the response body is first asked for, since only then is the type known.
 */
@WebFilter(urlPatterns = "/*")
public class PageCompression extends HttpFilter {
    private static final Pattern COMPRESSED_TYPES = Pattern.compile("(text/html|application/json)\\b",
            Pattern.CASE_INSENSITIVE);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod()) || !acceptsGzip(request.getHeader("Accept-Encoding"))) {
            chain.doFilter(request, response);
            return;
        }
        GzipResponse gzip = new GzipResponse(response);
        chain.doFilter(request, gzip);
        gzip.finish();
    }

    /** True unless gzip is absent or refused with q=0. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = coding.split(";");
            if (parts[0].trim().equals("gzip")) {
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].trim().replace(" ", "");
                    if (parameter.startsWith("q=") && parameter.substring(2).matches("0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** Compresses the body if it turns out to be HTML; otherwise passes everything through untouched. */
    private static final class GzipResponse extends HttpServletResponseWrapper {
        /** Set once compression has started; handed out as the stream, or wrapped in the writer. */
        private GzipStream stream;
        private boolean streamHandedOut;
        private PrintWriter writer;

        GzipResponse(HttpServletResponse response) {
            super(response);
        }

        /**
         * Starts compressing as soon as the type says HTML, so the headers are set before anything else happens:
         * IndexServlet sets the type and then includes the JSP, and during an include Tomcat ignores headers.
         */
        @Override
        public void setContentType(String type) {
            super.setContentType(type);
            if (stream == null && writer == null && compresses()) {
                try {
                    start();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        private boolean compresses() {
            String type = getContentType();
            return type != null && COMPRESSED_TYPES.matcher(type).lookingAt()
                    && !containsHeader("Content-Encoding") && !isCommitted();
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (writer != null) {
                throw new IllegalStateException("getWriter() was already called");
            }
            if (stream == null) {
                if (!compresses()) {
                    return super.getOutputStream();
                }
                start();
            }
            streamHandedOut = true;
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer != null) {
                return writer;
            }
            if (streamHandedOut) {
                throw new IllegalStateException("getOutputStream() was already called");
            }
            if (stream == null) {
                if (!compresses()) {
                    return super.getWriter();
                }
                start();
            }
            writer = new PrintWriter(new OutputStreamWriter(stream, Charset.forName(getCharacterEncoding())));
            return writer;
        }

        private void start() throws IOException {
            HttpServletResponse response = (HttpServletResponse) getResponse();
            response.setHeader("Content-Encoding", "gzip");
            response.addHeader("Vary", "Accept-Encoding");
            response.setContentLengthLong(-1);
            stream = new GzipStream(response.getOutputStream());
        }

        /** The length of the compressed body is not known in advance. */
        @Override
        public void setContentLength(int length) {
            if (stream == null && !compresses()) {
                super.setContentLength(length);
            }
        }

        @Override
        public void setContentLengthLong(long length) {
            if (stream == null && !compresses()) {
                super.setContentLengthLong(length);
            }
        }

        @Override
        public void flushBuffer() throws IOException {
            if (writer != null) {
                writer.flush();
            } else if (stream != null) {
                stream.flush();
            }
            super.flushBuffer();
        }

        void finish() throws IOException {
            if (writer != null) {
                writer.flush();
            }
            if (stream != null) {
                stream.finish();
            }
        }
    }

    private static final class GzipStream extends ServletOutputStream {
        private final ServletOutputStream target;
        private final GZIPOutputStream gzip;
        private boolean finished;

        GzipStream(ServletOutputStream target) throws IOException {
            this.target = target;
            this.gzip = new GZIPOutputStream(target, 8192, true);
        }

        @Override
        public void write(int b) throws IOException {
            gzip.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            gzip.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            gzip.flush();
        }

        /** Writes the gzip trailer once, whether the container closes the stream first or the filter finishes. */
        void finish() throws IOException {
            if (!finished) {
                finished = true;
                gzip.finish();
                target.flush();
            }
        }

        /** Containers close the response's stream or writer after a forward: the body must be complete by then. */
        @Override
        public void close() throws IOException {
            finish();
            target.close();
        }

        @Override
        public boolean isReady() {
            return target.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            target.setWriteListener(listener);
        }
    }
}
