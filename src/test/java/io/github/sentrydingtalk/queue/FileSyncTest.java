package io.github.sentrydingtalk.queue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSyncTest {

    @TempDir
    Path dir;

    private Exchange exchange(String produced) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.FILE_NAME_PRODUCED, produced);
        return exchange;
    }

    @Test
    void syncsTheProducedFileAndLeavesItAsItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("a.json"), "{\"id\":1}");
        new FileSync().process(exchange(file.toString()));
        assertThat(Files.readString(file)).isEqualTo("{\"id\":1}");
    }

    @Test
    void aMissingFileIsAnErrorNotASilentSuccess() {
        // The 202 must not go out for an alert that is not on disk.
        assertThatThrownBy(() -> new FileSync().process(exchange(dir.resolve("gone.json").toString())))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> new FileSync().process(exchange(null))).isInstanceOf(IllegalStateException.class);
    }
}
