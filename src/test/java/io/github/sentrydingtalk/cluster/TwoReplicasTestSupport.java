package io.github.sentrydingtalk.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;

/** Two replicas, a and b, against the class's broker and DingTalk stand-in. */
abstract class TwoReplicasTestSupport extends ClusterTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static Replica a;
    static Replica b;

    @BeforeAll
    static void startTwoReplicas() {
        a = startReplica("a");
        b = startReplica("b");
    }
}
