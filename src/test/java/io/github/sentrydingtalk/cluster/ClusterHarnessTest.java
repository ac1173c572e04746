package io.github.sentrydingtalk.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness itself: one broker, two whole service instances side by side, each answering on its own port. */
class ClusterHarnessTest extends ClusterTestSupport {

    @Test
    void twoInstancesRunAgainstOneBroker() {
        Replica a = startReplica("a");
        Replica b = startReplica("b");

        assertThat(a.port()).isNotEqualTo(b.port());
        assertThat(a.dataDir()).isNotEqualTo(b.dataDir());
        assertThat(a.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(b.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(kafka.topics()).isNotNull();
    }
}
