package chatroom.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The rule for tests that need a program of the system: skipped where it is missing, except in CI (a failure). */
final class SystemProgram {
    private SystemProgram() {
    }

    static void assumeInstalled(Path binary, String debianPackage) {
        boolean installed = Files.isExecutable(binary);
        String why = binary + " is missing: apt-get install " + debianPackage;
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(installed, why);
        }
        Assumptions.assumeTrue(installed, why + " (skipped; CI=true makes this a failure)");
    }
}
