package io.github.sentrydingtalk.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.sentrydingtalk.DataDirFault;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirHealthCheckTest {

    @TempDir
    Path dir;

    private HealthCheck.State check(Path dataDir) {
        OutboxMetrics.DataDirHealthCheck check = new OutboxMetrics.DataDirHealthCheck(dataDir);
        check.setCamelContext(new DefaultCamelContext());
        return check.call(Map.of()).getState();
    }

    @Test
    void downOnAFullOrReadOnlyDiskUpAgainWhenItCanTakeAlerts() throws Exception {
        try (DataDirFault disk = DataDirFault.create("1m")) {
            Path dataDir = disk.dataDir();
            assertThat(check(dataDir)).isEqualTo(HealthCheck.State.UP);
            disk.fill(); // an empty file could still be created: the check must write bytes
            assertThat(check(dataDir)).isEqualTo(HealthCheck.State.DOWN);
            disk.free();
            assertThat(check(dataDir)).isEqualTo(HealthCheck.State.UP);
            disk.readOnly();
            assertThat(check(dataDir)).isEqualTo(HealthCheck.State.DOWN);
            disk.writable();
            assertThat(check(dataDir)).isEqualTo(HealthCheck.State.UP);
        }
    }

    @Test
    void upWhenAlertsCanBeWrittenDownWhenNot() throws Exception {
        assertThat(check(dir)).isEqualTo(HealthCheck.State.UP);
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        assertThat(check(notADirectory)).isEqualTo(HealthCheck.State.DOWN);
    }
}
