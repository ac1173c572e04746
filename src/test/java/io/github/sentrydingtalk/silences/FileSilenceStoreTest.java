package io.github.sentrydingtalk.silences;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSilenceStoreTest {

    @TempDir
    Path dataDir;

    private FileSilenceStore store() throws Exception {
        FileSilenceStore store = new FileSilenceStore();
        store.setDirectory(dataDir.resolve("silences").toString());
        return store;
    }

    private static Silence silence(String id) {
        return Silence.of(id, "api", SilenceTest.fields("project=foo-*;duration=1h;comment=你好"), SilenceTest.NOW,
                SilenceTest.SHANGHAI, true);
    }

    @Test
    void aSavedSilenceIsOneFileReadBackByTheNextStore() throws Exception {
        FileSilenceStore first = store();
        assertThat(first.all()).isEmpty();
        first.save(silence("abc-1"));
        assertThat(dataDir.resolve("silences/abc-1.json")).exists();
        try (var files = Files.list(dataDir.resolve("silences"))) {
            assertThat(files).as("no temp file left").hasSize(1);
        }
        assertThat(store().all()).containsExactly(silence("abc-1"));
    }

    @Test
    void removeDeletesTheFileAndSaysWhetherThereWasOne() throws Exception {
        FileSilenceStore store = store();
        store.save(silence("abc-1"));
        store.save(silence("abc-2"));
        assertThat(store.remove("abc-1")).isTrue();
        assertThat(store.remove("abc-1")).isFalse();
        assertThat(store.remove("../outbox")).isFalse();
        assertThat(store.all()).containsExactly(silence("abc-2"));
        assertThat(store().all()).containsExactly(silence("abc-2"));
    }

    @Test
    void anUnreadableFileIsLeftOutNotFatal() throws Exception {
        store().save(silence("abc-1"));
        Files.writeString(dataDir.resolve("silences/broken.json"), "{not json");
        Files.writeString(dataDir.resolve("silences/.abc-3.json.123.tmp"), "half");
        assertThat(store().all()).containsExactly(silence("abc-1"));
    }

    @Test
    void anIdThatIsNoFileNameIsRefused() throws Exception {
        FileSilenceStore store = store();
        assertThatThrownBy(() -> store.save(silence("../x"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** The beans' destroyMethod: Camel's registry calls it by name on the class itself. */
    @Test
    void closeIsFoundByTheBeansDestroyMethod() throws Exception {
        FileSilenceStore store = store();
        org.assertj.core.api.Assertions.assertThatCode(() -> org.apache.camel.support.ObjectHelper.invokeMethodSafe("close", store))
                .doesNotThrowAnyException();
    }
}
