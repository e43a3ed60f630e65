package chatroom.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The npm packages of the benchmark's Node programs (the ws and uWebSockets.js reference servers, the ws client
 * generator), pinned with their integrity hashes in {@code src/test/node/package-lock.json} and installed with
 * {@code npm ci} into a directory under {@code target/}: the yardsticks cannot move between two runs, and nothing
 * but the locked packages is fetched (no optional add-ons, no install scripts).
 */
final class NodeModules {
    static final Path SOURCES = Path.of("src/test/node");
    private static final List<String> MANIFEST = List.of("package.json", "package-lock.json");
    private static final long INSTALL_SECONDS = 180;

    private NodeModules() {
    }

    /** Why the Node programs cannot run here (no node, no npm, no lock file), or empty when they can. */
    static Optional<String> unavailable() {
        for (String program : List.of("node", "npm")) {
            if (onPath(program).isEmpty()) {
                return Optional.of(program + " is not on the PATH (apt-get install nodejs npm)");
            }
        }
        for (String file : MANIFEST) {
            if (!Files.isRegularFile(SOURCES.resolve(file))) {
                return Optional.of(SOURCES.resolve(file).toAbsolutePath() + " is missing");
            }
        }
        return Optional.empty();
    }

    /**
     * Installs the locked packages into {@code dir} unless that very lock file is installed there already (bounded
     * in time), and returns the {@code node_modules} directory for {@code NODE_PATH}.
     */
    static synchronized Path install(Path dir) {
        Path modules = dir.toAbsolutePath().resolve("node_modules");
        Path installed = dir.resolve("installed-lock.json");
        try {
            byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
            if (Files.isDirectory(modules) && Files.isRegularFile(installed)
                    && Arrays.equals(lock, Files.readAllBytes(installed))) {
                return modules;
            }
            Files.createDirectories(dir);
            Files.deleteIfExists(installed);
            for (String file : MANIFEST) {
                Files.copy(SOURCES.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Path log = dir.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "ci", "--prefix", dir.toAbsolutePath().toString(),
                    "--omit=optional",
                    "--ignore-scripts", "--no-audit", "--no-fund")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(INSTALL_SECONDS, TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci did not finish within " + INSTALL_SECONDS + " s; see " + log);
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci exited with " + npm.exitValue() + "; see " + log);
            }
            Files.write(installed, lock);
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The version of an installed package, from its package.json; "?" when it is not there. */
    static String version(Path modules, String name) {
        try {
            Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(Files.readString(modules.resolve(name).resolve("package.json")));
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    /** A {@code node <script>} process builder that finds the installed packages. */
    static ProcessBuilder node(Path modules, String script) {
        ProcessBuilder builder = new ProcessBuilder("node", SOURCES.resolve(script).toAbsolutePath().toString());
        builder.environment().put("NODE_PATH", modules.toString());
        return builder;
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
