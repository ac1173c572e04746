package io.github.sentrydingtalk;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A wrong setting stops the service at startup with one line naming it and the accepted form, instead of
 * starting and answering 202 without ever sending, or 500 to every webhook.
 */
class ConfigurationFailsFastTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dingtalk.rate-limit.max-messages=0 | dingtalk.rate-limit.max-messages must be a whole number >= 1, got '0'",
            "dingtalk.rate-limit.window=0s | dingtalk.rate-limit.window must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M longer than 0, got '0s'",
            "dingtalk.http.deadline=0 | dingtalk.http.deadline must be a whole number >= 1, got '0'",
            "dingtalk.retry.max-redeliveries=-1 | dingtalk.retry.max-redeliveries must be a whole number >= 0, got '-1'",
            "notify.idempotency.max-entries=0 | notify.idempotency.max-entries must be a whole number >= 1, got '0'",
            "notify.idempotency.ttl=forever | notify.idempotency.ttl must be a duration like 500ms, 60s, 10m, 24h, 7d or PT1M longer than 0, got 'forever'",
            "sentry.max-body-size=0 | sentry.max-body-size must be a size >= 1 like 1048576, 512KB or 1MB, got '0'",
            "dingtalk.robots[0].min-level=bogus | dingtalk.robots[0].min-level must be one of debug, info, warning, error, fatal, got 'bogus'",
            "dingtalk.robots[0].tags=team | dingtalk.robots[0].tags must be key:value globs such as team:payments,browser:Chrome*, got 'team'",
            "dingtalk.robots[0].on-call.mobiles=13800000011;dingtalk.robots[0].on-call.shift=1d | dingtalk.robots[0].on-call.start must be set, a date-time with its zone such as 2026-11-23T09:00+08:00[Asia/Shanghai]",
            "dingtalk.robots[0].on-call.mobiles=13800000011;dingtalk.robots[0].on-call.shift=soon;dingtalk.robots[0].on-call.start=2026-11-23T09:00+08:00 | dingtalk.robots[0].on-call.shift must be a duration such as 12h, 1d or 7d, got 'soon'",
            "notify.time-zone=Mars/Olympus | notify.time-zone must be a zone id such as Asia/Shanghai or UTC, not 'Mars/Olympus'",
            "dingtalk.http.proxy=socks5://proxy.corp:1080 | dingtalk.http.proxy must look like http://[user:password@]host:port (an http proxy)",
            "dingtalk.robots[1].name=ops;dingtalk.robots[1].access-token=t1 | dingtalk.robots[1].name must be unique, ignoring letter case: 'ops' is taken by dingtalk.robots[0].name",
            "dingtalk.robots[4].name=OPS;dingtalk.robots[4].access-token=t4 | dingtalk.robots[4].name must be unique, ignoring letter case: 'OPS' is taken by dingtalk.robots[0].name ('ops')",
            "notify.silences[0].project=a;notify.silences[0].schedule=0 0 * *;notify.silences[0].duration=7h | notify.silences[0].schedule: not a cron expression: 5 fields expected (minute hour day-of-month month day-of-week), got 4",
    })
    void theServiceRefusesToStart(String setting, String message) throws Exception {
        List<String> properties = new ArrayList<>(List.of("server.port=0",
                "notify.data-dir=" + Files.createTempDirectory("fails-fast"),
                "spring.artemis.embedded.enabled=false", "management.health.jms.enabled=false",
                "dingtalk.robots[0].name=ops", "dingtalk.robots[0].access-token=t0"));
        properties.addAll(List.of(setting.split(";")));
        // As command-line arguments: they win over application.properties, as --name=value does for a user.
        try (ConfigurableApplicationContext started = new SpringApplicationBuilder(Application.class)
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new))) {
            fail("started with " + setting);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        }
    }
}
