package io.github.sentrydingtalk.robots;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import freemarker.cache.FileTemplateLoader;
import freemarker.template.Configuration;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import io.github.sentrydingtalk.dingtalk.PermanentDeliveryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateFailuresTest {

    static final Robot ROBOT = new Robot("ops", "tok-123", "SECabc", null, List.of(), List.of(), false, false);

    @TempDir
    Path folder;

    private Configuration cfg;
    private TemplateFailures failures;

    @BeforeEach
    void setUp() throws IOException {
        cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setTemplateLoader(new FileTemplateLoader(folder.toFile()));
        cfg.setLogTemplateExceptions(false);
        failures = new TemplateFailures();
        failures.setTemplates(cfg);
    }

    private Throwable renderFailure(String name) {
        try {
            cfg.getTemplate(name).process(Map.of(), new StringWriter());
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("rendered " + name);
    }

    private static Exchange exchange(Throwable caught, int attempts) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        exchange.setVariable("robot", ROBOT);
        exchange.setVariable("attempts", attempts);
        return exchange;
    }

    /** The reason for rendering this template file, and the file's path as the reason should name it. */
    private String[] reasonAndPath(String file, String template) throws IOException {
        Files.writeString(folder.resolve(file), template);
        return new String[] {failures.templateReason(renderFailure(file)), folder.resolve(file).toFile().getCanonicalPath()};
    }

    @Test
    void aSyntaxErrorNamesTheFileLineAndColumn() throws IOException {
        String[] reason = reasonAndPath("event.ftl", "# title\n\n${body.title?no_such_builtin}\n");
        assertThat(reason[0]).startsWith("template error in " + reason[1] + ", line 3, column ").contains("no_such_builtin");
    }

    @Test
    void anErrorWhileRenderingNamesTheFileAndLine() throws IOException {
        String[] reason = reasonAndPath("issue.ftl", "# title\n${missing.value}\n");
        assertThat(reason[0]).startsWith("template error in " + reason[1] + ", line 2: ").doesNotContain("\n");
    }

    @Test
    void aMissingTemplateIsNamedWithoutTheRobotPrefix() throws IOException {
        String reason = failures.templateReason(renderFailure("robots/ops/metric-alert.ftl"));
        assertThat(reason).isEqualTo("template not found: metric-alert.ftl is neither in the robot's templates folder"
                + " nor in notify.templates-dir");
    }

    @Test
    void aTemplateErrorIsPermanentAndNeverShowsTheRobotsSecrets() throws IOException {
        Files.writeString(folder.resolve("event.ftl"), "${'tok-123 SECabc'?number}\n");
        Exchange exchange = exchange(renderFailure("event.ftl"), 0);
        assertThatThrownBy(() -> failures.throwTemplateError(exchange))
                .isInstanceOf(TemplateFailedException.class).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageStartingWith("template error in ")
                .message().doesNotContain("tok-123").doesNotContain("SECabc");
    }
}
