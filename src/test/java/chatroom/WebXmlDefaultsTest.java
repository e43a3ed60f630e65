package chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * web.xml's context-params are what an operator reads as the defaults; the code has its own for tests and tools.
 * They must say the same thing, and web.xml must not list a setting the code no longer reads.
 */
class WebXmlDefaultsTest {
    private static final Path WEB_XML = Path.of("src/main/webapp/WEB-INF/web.xml");

    @Test
    void webXmlContextParamsEqualTheCodesDefaults() throws Exception {
        Map<String, String> params = chatParams();
        assertTrue(params.size() > 20, "web.xml lists the settings: " + params.keySet());
        // Compared as printed: the record prints every setting, and some of its parts (the client key, the proxies
        // built with it) have no value equality of their own.
        assertEquals(ChatSettings.defaults().toString(), ChatSettings.read(params::get).toString());
    }

    @Test
    void webXmlListsOnlySettingsTheCodeReads() throws Exception {
        Set<String> read = new HashSet<>();
        ChatSettings.read(name -> {
            read.add(name);
            return null;
        });
        Set<String> unknown = new HashSet<>(chatParams().keySet());
        unknown.removeAll(read);
        assertEquals(Set.of(), unknown, "context-params the code never reads");
    }

    /** web.xml's chat.* context-params by setting name (without "chat."), values as written. */
    private static Map<String, String> chatParams() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList nodes = factory.newDocumentBuilder().parse(WEB_XML.toFile()).getElementsByTagName("context-param");
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element param = (Element) nodes.item(i);
            String name = param.getElementsByTagName("param-name").item(0).getTextContent().trim();
            String value = param.getElementsByTagName("param-value").item(0).getTextContent();
            if (name.startsWith("chat.")) {
                params.put(name.substring("chat.".length()), value);
            }
        }
        return params;
    }
}
