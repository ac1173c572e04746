package io.github.sentrydingtalk;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import freemarker.template.Configuration;
import freemarker.template.Template;
import io.github.sentrydingtalk.robots.MarkdownTemplates;
import io.github.sentrydingtalk.robots.RobotRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarkdownTemplatesTest {

    @TempDir
    Path dir;

    private String render(String template, Object value) throws Exception {
        Files.writeString(dir.resolve("t.ftl"), template);
        RobotRegistry robots = new RobotRegistry(); // none configured: templates come from dir
        robots.setCamelContext(new DefaultCamelContext());
        Configuration cfg = MarkdownTemplates.configuration(dir.toString(), 0, robots);
        Template t = cfg.getTemplate("t.ftl");
        StringWriter out = new StringWriter();
        t.process(Map.of("v", value), out);
        return out.toString();
    }

    @Test
    void interpolationsAreMarkdownEscapedOnOneLine() throws Exception {
        assertThat(render("- ${v}", "**bold** [x](http://e) #h > q `c` <b>\nnext line"))
                .isEqualTo("- \\*\\*bold\\*\\* \\[x\\](http://e) \\#h \\> q \\`c\\` \\<b\\> next line");
    }

    @Test
    void codeQuoteAndUrlHelpers() throws Exception {
        assertThat(render("${code(v)}", "a `b`\nc")).isEqualTo("`a 'b' c`");
        assertThat(render("${quote(v)}", "one *1*\n\ntwo")).isEqualTo("> one \\*1\\*\n>\n> two");
        assertThat(render("${url(v)}", "https://e.com/a b)(c")).isEqualTo("https://e.com/a%20b%29%28c");
        assertThat(render("${url(v)}", "javascript:alert(1)")).isEqualTo("#");
    }

    @Test
    void templatesCannotReachJavaClasses() {
        assertThatThrownBy(() -> render("${\"freemarker.template.utility.Execute\"?new()(\"id\")}", "x"))
                .hasMessageContaining("freemarker.template.utility.Execute");
        assertThatThrownBy(() -> render("${v?api.getClass()}", "x")).hasMessageContaining("api");
    }
}
