package chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's architecture is the code's: each package's purpose is its package-info's, and the arrows between
 * packages are the ones the sources' imports and fully qualified names make, with no cycle among them.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path README = Path.of("README.md");
    /** {@code - `chatroom.room` — The room: ...} */
    private static final Pattern PURPOSE_LINE = Pattern.compile("(?m)^- `(chatroom(?:\\.\\w+)*)` — (.+)$");
    /** {@code room       → chatroom, client, ...} */
    private static final Pattern ARROW_LINE = Pattern.compile("(?m)^(\\w+) +→ +(.+)$");
    /** A reference to a type of the project: {@code chatroom.store.MessageStore}, {@code chatroom.Clock}. */
    private static final Pattern REFERENCE = Pattern.compile("\\bchatroom((?:\\.[a-z]\\w*)*)\\.(?:[A-Z]|\\*)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package (chatroom[\\w.]*);");

    @Test
    void theReadmeListsEveryPackageWithItsPackageInfoPurpose() throws IOException {
        Map<String, String> inCode = new TreeMap<>();
        for (Path dir : packageDirectories()) {
            Path info = dir.resolve("package-info.java");
            assertTrue(Files.exists(info), "every package has a package-info.java with its purpose: " + dir);
            inCode.put(packageName(dir), purpose(Files.readString(info)));
        }
        Map<String, String> inReadme = new TreeMap<>();
        Matcher line = PURPOSE_LINE.matcher(Files.readString(README));
        while (line.find()) {
            inReadme.put(line.group(1), line.group(2).trim());
        }
        assertEquals(inCode, inReadme, "README's package list, one `- `package` — purpose` line each");
    }

    @Test
    void theReadmeArrowsAreTheCodesDependenciesWithoutACycle() throws IOException {
        Map<String, Set<String>> inCode = dependencies();
        assertEquals(List.of(), cycle(inCode), "a cycle between packages");
        Map<String, Set<String>> inReadme = new TreeMap<>();
        Matcher line = ARROW_LINE.matcher(Files.readString(README));
        while (line.find()) {
            for (String to : line.group(2).split(",")) {
                inReadme.computeIfAbsent(line.group(1), k -> new TreeSet<>()).add(to.trim());
            }
        }
        assertEquals(inCode, inReadme, "README's arrows (`from → to, to`), by short package name");
    }

    /** Short name (the last part; {@code chatroom} for the root) → the short names it uses. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String code = withoutCommentsAndLiterals(Files.readString(file));
            Matcher declared = PACKAGE.matcher(code);
            if (!declared.find()) {
                continue;
            }
            String from = shortName(declared.group(1));
            Matcher reference = REFERENCE.matcher(code.substring(declared.end()));
            while (reference.find()) {
                String to = shortName("chatroom" + reference.group(1));
                if (!to.equals(from)) {
                    graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        return graph;
    }

    /** A cycle as the packages on it, or an empty list when there is none (depth-first search). */
    private static List<String> cycle(Map<String, Set<String>> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            List<String> found = cycleFrom(start, graph, new ArrayList<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> cycleFrom(String node, Map<String, Set<String>> graph, List<String> path,
                                          Set<String> done) {
        int seen = path.indexOf(node);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(node);
            return cycle;
        }
        if (done.contains(node)) {
            return List.of();
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> found = cycleFrom(next, graph, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        done.add(node);
        return List.of();
    }

    /** Java source with comments, string, text block and char literals blanked out, so only code names packages. */
    static String withoutCommentsAndLiterals(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = end(source, "\n", i + 2) - 1; // keep the line break
            } else if (source.startsWith("/*", i)) {
                i = end(source, "*/", i + 2);
            } else if (source.startsWith("\"\"\"", i)) {
                i = end(source, "\"\"\"", i + 3);
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < source.length() && source.charAt(i) != c) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                code.append(c);
                i++;
                continue;
            }
            code.append(' '); // what was skipped still separates the words around it
        }
        return code.toString();
    }

    /** The index just past the first {@code closing} from {@code from}, or the end of the text. */
    private static int end(String source, String closing, int from) {
        int at = source.indexOf(closing, from);
        return at < 0 ? source.length() : at + closing.length();
    }

    /** The text of a package-info's javadoc, its lines joined by single spaces. */
    static String purpose(String packageInfo) {
        Matcher doc = Pattern.compile("(?s)/\\*\\*(.*?)\\*/").matcher(packageInfo);
        assertTrue(doc.find(), "a package-info.java starts with a javadoc sentence of its purpose");
        return doc.group(1).replaceAll("(?m)^\\s*\\*", " ").replaceAll("\\s+", " ").trim();
    }

    private static List<Path> packageDirectories() throws IOException {
        try (Stream<Path> walk = Files.walk(SOURCES.resolve("chatroom"))) {
            return walk.filter(Files::isDirectory).filter(ArchitectureTest::holdsJava).sorted().toList();
        }
    }

    private static boolean holdsJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String packageName(Path dir) {
        return SOURCES.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), ".");
    }

    private static String shortName(String packageName) {
        return packageName.substring(packageName.lastIndexOf('.') + 1);
    }
}
