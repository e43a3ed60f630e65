package chatroom.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven through Selenium, with its own throwaway profile. Nothing is ever
 * downloaded: the driver and the browser are given by path, so Selenium Manager is never consulted.
 * Every wait is a bounded {@link WebDriverWait} on a condition.
 *
 * <p>Without Chromium the browser tests are skipped on a developer box but fail when {@code CI=true}; call
 * {@link #requireInstalled()} in {@code @BeforeAll} so a whole class is skipped at once.
 */
public final class Browser implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);
    public static final Dimension DESKTOP = new Dimension(1280, 800);
    public static final Dimension PHONE = new Dimension(390, 844);
    public static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
    /** chromedriver's own log, one file per browser, for when a session cannot be started. */
    private static final Path DRIVER_LOGS = Path.of("target/chromedriver").toAbsolutePath();

    // Overridable for a machine that has them elsewhere (and to try the skip rule without uninstalling).
    private static final Path CHROMIUM = Path.of(System.getProperty("chat.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chat.test.chromedriver",
            "/usr/bin/chromedriver"));
    private static final String INSTALL_HINT = "Chromium not installed: apt-get install chromium chromium-driver";
    private static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** Skips the calling test (or class, from {@code @BeforeAll}) without Chromium; fails instead when CI=true. */
    public static void requireInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String message = INSTALL_HINT + " (looked for " + CHROMIUM + " and " + CHROMEDRIVER + ")";
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI=true, so this is a failure, not a skip");
        }
        Assumptions.assumeTrue(installed, message);
    }

    /** A new browser at desktop size. */
    public static Browser open() {
        requireInstalled();
        // Belt and braces: with the executable set on the service this property is not even read.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile;
        Path driverLog;
        try {
            profile = Files.createTempDirectory("chat-chromium-profile");
            driverLog = Files.createDirectories(DRIVER_LOGS).resolve(profile.getFileName() + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile,
                "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        try {
            return new Browser(new ChromeDriver(service, options), service, profile);
        } catch (RuntimeException e) {
            service.stop();
            Folders.deleteTree(profile);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void get(URI uri) {
        driver.get(uri.toString());
    }

    /** Cookies of every site, so the next page load starts a new HttpSession (a new visitor). */
    public void clearCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    public void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /**
     * Lays the page out at exactly this viewport (the window's own size includes room for browser chrome), with
     * this many device pixels per CSS pixel; mobile also means a phone's viewport rules and scrollbars.
     */
    public void emulateViewport(Dimension size, double scale, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size.getWidth(),
                "height", size.getHeight(), "deviceScaleFactor", scale, "mobile", mobile));
    }

    public void clearViewport() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** Runs a script in the page and returns its result as Selenium converts it (lists, maps, longs, strings). */
    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits up to {@link #WAIT} for the condition to return something other than null or false. */
    public <T> T until(String what, Function<WebDriver, T> condition) {
        return until(what, WAIT, condition);
    }

    public <T> T until(String what, Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .withMessage(what)
                .until(condition);
    }

    /** Saves what the viewport shows to target/screenshots/{name}.png. */
    public Path screenshot(String name) {
        Path target = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.move(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Console messages at error level since the last call (the browser hands each entry out once). */
    public List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            Folders.deleteTree(profile);
        }
    }

}
