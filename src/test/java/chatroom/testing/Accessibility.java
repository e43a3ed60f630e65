package chatroom.testing;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * axe-core (Deque's accessibility rules, the engine behind browsers' own audits) run on what a {@link Browser}
 * shows now. The script is bundled in the jar and injected into the page: nothing is fetched.
 */
public final class Accessibility {
    private static final Set<String> BLOCKING = Set.of("serious", "critical");

    private Accessibility() {
    }

    /** Serious and critical violations on the current page, one readable line each (rule, help, elements). */
    public static List<String> seriousViolations(Browser browser) {
        Results results = new AxeBuilder().analyze(browser.driver());
        if (results.isErrored()) {
            throw new AssertionError("axe-core could not run: " + results.getErrorMessage());
        }
        return results.getViolations().stream()
                .filter(rule -> BLOCKING.contains(rule.getImpact()))
                .map(Accessibility::describe)
                .toList();
    }

    private static String describe(Rule rule) {
        String nodes = rule.getNodes().stream().map(CheckedNode::getHtml).limit(5).collect(Collectors.joining(" | "));
        return rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " -> " + nodes;
    }
}
