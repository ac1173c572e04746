package io.github.sentrydingtalk.silences;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sentrydingtalk.queue.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ad-hoc silences as one JSON file each, {@code <id>.json} in {@code {data-dir}/silences/}, written like
 * the outbox writes alerts (DurableFiles: whole or absent, fsynced) and read back at startup.
 */
public class FileSilenceStore implements SilenceStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileSilenceStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ids are ours (Silences.newId); anything else names no file. */
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");

    private Path directory;
    private final Map<String, Silence> silences = new ConcurrentHashMap<>();

    /** The folder; its silences are read now. */
    public void setDirectory(String directory) throws IOException {
        this.directory = Path.of(directory);
        silences.clear();
        if (!Files.isDirectory(this.directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "[!.]*.json")) {
            for (Path file : files) {
                try {
                    Silence silence = JSON.readValue(file.toFile(), Silence.class);
                    silences.put(silence.id(), silence);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Silence file {} cannot be read, left out: {}", file, e.getMessage());
                }
            }
        }
    }

    @Override
    public Collection<Silence> all() {
        return silences.values();
    }

    @Override
    public void save(Silence silence) throws IOException {
        if (!ID.matcher(silence.id()).matches()) {
            throw new IllegalArgumentException("not a silence id");
        }
        DurableFiles.write(directory, silence.id() + ".json", JSON.writeValueAsBytes(silence));
        silences.put(silence.id(), silence);
    }

    @Override
    public boolean remove(String id) throws IOException {
        if (id == null || !ID.matcher(id).matches() || !silences.containsKey(id)) {
            return false;
        }
        Files.deleteIfExists(directory.resolve(id + ".json"));
        // the removal itself must survive a power cut too
        try (FileChannel folder = FileChannel.open(directory, StandardOpenOption.READ)) {
            folder.force(true);
        }
        silences.remove(id);
        return true;
    }

    /**
     * Nothing is held open. Declared here, not as the interface's default: the beans' {@code destroyMethod}
     * (Camel's registry) looks for it in the class and its superclasses only, and warned at every stop.
     */
    @Override
    public void close() {
    }
}
