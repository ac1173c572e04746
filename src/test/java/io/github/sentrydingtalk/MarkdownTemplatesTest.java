package io.github.sentrydingtalk;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        return render(template, value, "");
    }

    private String render(String template, Object value, String timeZone) throws Exception {
        Files.writeString(dir.resolve("t.ftl"), template);
        RobotRegistry robots = new RobotRegistry(); // none configured: templates come from dir
        robots.setCamelContext(new DefaultCamelContext());
        Configuration cfg = MarkdownTemplates.configuration(dir.toString(), 0, robots, timeZone);
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
    void timesFromSentryAreShownInTheConfiguredZone() throws Exception {
        assertThat(render("${time(v)}", "2019-08-19T20:58:37.391000Z", "Asia/Shanghai")).isEqualTo("2019-08-20 04:58:37");
        assertThat(render("${time(v)}", "2019-08-19T20:58:37+02:00", "UTC")).isEqualTo("2019-08-19 18:58:37");
        // Sentry writes some times without a zone: they are UTC
        assertThat(render("${time(v)}", "2019-08-19T20:58:37.391", "America/New_York")).isEqualTo("2019-08-19 16:58:37");
        assertThat(render("${time(v)}", "yesterday", "UTC")).as("not a time: as it came").isEqualTo("yesterday");
        assertThat(render("${time(v)}", "2019-08-19T20:58:37Z", "")).as("empty: the JVM's zone")
                .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .format(java.time.Instant.parse("2019-08-19T20:58:37Z").atZone(java.time.ZoneId.systemDefault())));
        assertThatThrownBy(() -> render("x", "", "Mars/Olympus"))
                .hasMessage("notify.time-zone must be a zone id such as Asia/Shanghai or UTC, not 'Mars/Olympus'");
    }

    @Test
    void aDigestSaysWhenItsAlertsCame() throws Exception {
        Files.copy(Path.of("templates/digest.ftl"), dir.resolve("digest.ftl"));
        RobotRegistry robots = new RobotRegistry();
        robots.setCamelContext(new DefaultCamelContext());
        Template digest = MarkdownTemplates.configuration(dir.toString(), 0, robots, "Asia/Shanghai").getTemplate("digest.ftl");
        List<Map<String, Object>> alerts = List.of(
                Map.of("level", "error", "title", "B", "acceptedAt", "2026-11-25T01:02:05.5Z"),
                Map.of("level", "warning", "title", "A", "acceptedAt", "2026-11-25T01:00:00Z"));
        StringWriter out = new StringWriter();
        digest.process(Map.of("body", Map.of("alerts", alerts, "count", 2), "variables", Map.of("dingtalkTitle", "Sentry: 2 more")), out);
        assertThat(out.toString()).isEqualTo("### Sentry: 2 more\n\n**2 more alerts**, 2026-11-25 09:00:00 – 2026-11-25 09:02:05\n\n"
                + "- **error** B\n- **warning** A\n");
    }

    @Test
    void templatesCannotReachJavaClasses() {
        assertThatThrownBy(() -> render("${\"freemarker.template.utility.Execute\"?new()(\"id\")}", "x"))
                .hasMessageContaining("freemarker.template.utility.Execute");
        assertThatThrownBy(() -> render("${v?api.getClass()}", "x")).hasMessageContaining("api");
    }
}
