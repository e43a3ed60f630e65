package chatroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the live objects of a class in another JVM with the JDK's {@code jcmd}: {@code GC.class_histogram} runs a
 * full collection first and lists only what survived it, so an old webapp's class loader still counted is one that
 * something keeps reachable.
 */
public final class HeapCensus {
    private HeapCensus() {
    }

    /** Live instances of exactly {@code className} in the JVM {@code pid}. */
    public static long liveInstances(long pid, String className) {
        String histogram = jcmd(pid, "GC.class_histogram");
        // "  12:          3          240  org.apache.catalina.loader.ParallelWebappClassLoader"
        Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "(\\s|$)",
                Pattern.MULTILINE).matcher(histogram);
        return row.find() ? Long.parseLong(row.group(1)) : 0;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: "
                        + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of the histogram that name a class matching {@code pattern}: for a failure message. */
    public static List<String> rows(long pid, Pattern pattern) {
        return jcmd(pid, "GC.class_histogram").lines().filter(line -> pattern.matcher(line).find()).toList();
    }
}
