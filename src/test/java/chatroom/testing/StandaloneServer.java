package chatroom.testing;

import java.net.URI;

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
