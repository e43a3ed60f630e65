package chatroom.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chatroom.testing.Browser;
import chatroom.testing.StaticFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The page's pure modules (src/main/webapp/static/js: what to resend, de-duplication by id, reconnect backoff,
 * length in code points, links, mentions, grouping, unread count) unit-tested in the Chromium the browser tests
 * use: src/test/js/index.html runs every *.test.js there and this class reports each of its tests as one JUnit
 * test. No container is needed, only the files over HTTP on 127.0.0.1.
 */
class PageLogicIT {
    @TestFactory
    Stream<DynamicTest> pageModules() {
        Browser.requireInstalled();
        List<Map<String, Object>> results;
        try (StaticFiles files = StaticFiles.serve(Map.of(
                "/static/", Path.of("src/main/webapp/static"),
                "/test/", Path.of("src/test/js")));
             Browser browser = Browser.open()) {
            browser.get(files.uri("/test/index.html"));
            results = browser.until("the page's JS tests to finish", driver -> readResults(browser));
            List<String> errors = browser.consoleErrors();
            assertTrue(errors.isEmpty(), "no console errors: " + errors);
        }
        assertFalse(results.isEmpty(), "the JS test page ran no tests");
        return results.stream().map(result -> DynamicTest.dynamicTest((String) result.get("name"), () ->
                assertTrue((Boolean) result.get("ok"), result.get("name") + ": " + result.get("message"))));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readResults(Browser browser) {
        return (List<Map<String, Object>>) browser.script("return window.pageTestResults || null;");
    }
}
