package chatroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/** A container from a standalone distribution, serving the WAR under test from its own process. */
public abstract class StandaloneServer implements ChatServer {
    private final ServerProcess process;

    StandaloneServer(ServerProcess process) {
        this.process = process;
    }

    @Override
    public URI pageUri() {
        return process.pageUri();
    }

    /** The container's JVM, for the benchmark's RSS, CPU and descriptor readings. */
    public long pid() {
        return process.pid();
    }

    /** Replaces the deployed WAR while the container runs (a hot redeploy, when the container watches for it). */
    public void replaceWar(Path war) {
        try {
            process.replaceWar(war);
        } catch (IOException e) {
            throw new UncheckedIOException("could not replace the WAR of " + process.name(), e);
        }
    }

    /** Everything the container has logged so far. */
    public String log() {
        return process.logText();
    }

    /** The container's base directory (CATALINA_BASE, JETTY_BASE), deleted by close(). */
    public Path base() {
        return process.base();
    }

    @Override
    public int port() {
        return process.port();
    }

    /** The distribution's folder name, e.g. "standalone apache-tomcat-11.0.24". */
    @Override
    public String containerName() {
        return "standalone " + process.name();
    }

    @Override
    public void close() {
        process.close();
    }
}
