package io.github.sentrydingtalk;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import io.github.sentrydingtalk.dingtalk.AnswerTooLargeException;
import io.github.sentrydingtalk.dingtalk.HttpAttemptLimits;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.github.sentrydingtalk.RawDingTalk.flood;
import static io.github.sentrydingtalk.RawDingTalk.json;
import static io.github.sentrydingtalk.RawDingTalk.trickle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The HTTP client as the {@code http} endpoint builds it, with the limits added, against a raw stand-in. */
class HttpAttemptLimitsTest {

    static final RawDingTalk DINGTALK = DingTalkWireFaultsTest.start();

    private HttpAttemptLimits limits;
    private CloseableHttpClient client;

    @BeforeEach
    void buildClient() {
        limits = new HttpAttemptLimits();
        limits.setDeadline(300);
        HttpClientBuilder builder = HttpClients.custom().disableAutomaticRetries();
        limits.configureHttpClient(builder);
        client = builder.build();
    }

    @AfterEach
    void closeClient() throws IOException {
        client.close();
    }

    @AfterAll
    static void stopStandIn() throws IOException {
        DINGTALK.close();
    }

    private String post(String token) throws IOException {
        HttpPost post = new HttpPost(DINGTALK.baseUrl() + "/robot/send?access_token=" + token);
        post.setEntity(new StringEntity("{}"));
        return client.execute(post, response -> EntityUtils.toString(response.getEntity()));
    }

    @Test
    void anAnswerInTimeIsReadAsIs() throws IOException {
        DINGTALK.script("ok", json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        assertThat(post("ok")).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");
        assertThat(post("ok")).as("the next attempt has a deadline of its own").isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    @Test
    void aTricklingAnswerEndsAtTheDeadline() {
        DINGTALK.script("slow", trickle());
        assertThatThrownBy(() -> post("slow")).isInstanceOf(SocketTimeoutException.class)
                .hasMessage("no complete answer within 300 ms (dingtalk.http.deadline)");
    }

    @Test
    void aHugeAnswerIsCutOffUnread() {
        DINGTALK.script("huge", flood(400L * 1024 * 1024));
        assertThatThrownBy(() -> post("huge")).isInstanceOf(AnswerTooLargeException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> DINGTALK.attempts("huge").size() == 1);
        assertThat(DINGTALK.attempts("huge").get(0).bytesWritten()).isLessThan(HttpAttemptLimits.MAX_ANSWER_BYTES * 32);
    }

    @Test
    void theDeadlineMustBePositive() {
        assertThatThrownBy(() -> new HttpAttemptLimits().setDeadline(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dingtalk.http.deadline must be a positive number of milliseconds (e.g. 10000), not 0");
    }
}
