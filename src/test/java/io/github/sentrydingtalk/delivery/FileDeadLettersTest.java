package io.github.sentrydingtalk.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class FileDeadLettersTest {

    @TempDir
    Path dir;

    @Test
    void lettersAreFilesOldestFirstAndWritesInProgressAreNotLetters() throws Exception {
        FileDeadLetters letters = new FileDeadLetters();
        letters.setDirectory(dir.toString());
        assertThat(letters.all()).as("no folder yet").isEmpty();

        letters.save("2000-ops-b.json", "{\"b\":1}".getBytes(StandardCharsets.UTF_8));
        letters.save("1000-ops-a.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve(".3000-ops-c.json.tmp"), "{"); // a write cut short
        assertThat(letters.all()).extracting(DeadLetters.Letter::name).containsExactly("1000-ops-a.json", "2000-ops-b.json");
        assertThat(new String(letters.all().get(0).json(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(letters.where()).isEqualTo(dir + "/");

        letters.remove("1000-ops-a.json");
        letters.setAside("2000-ops-b.json");
        assertThat(letters.all()).isEmpty();
        assertThat(dir.resolve(".corrupt").resolve("2000-ops-b.json")).exists();
    }

    /** The beans' destroyMethod: Camel's registry calls it by name on the class itself. */
    @Test
    void closeIsFoundByTheBeansDestroyMethod() {
        FileDeadLetters letters = new FileDeadLetters();
        letters.setDirectory(dir.toString());
        org.assertj.core.api.Assertions.assertThatCode(() -> org.apache.camel.support.ObjectHelper.invokeMethodSafe("close", letters))
                .doesNotThrowAnyException();
    }
}
