package io.github.sentrydingtalk.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import io.github.sentrydingtalk.queue.DurableFiles;
import io.github.sentrydingtalk.queue.RobotBacklog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dead letters as one fsynced JSON file each in {@code {data-dir}/dead-letter/}. */
public class FileDeadLetters implements DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetters.class);

    private Path directory;

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    @Override
    public String where() {
        return directory + "/";
    }

    @Override
    public void save(String name, byte[] json) throws IOException {
        DurableFiles.write(directory, name, json);
    }

    /** {@code *.json}, not the dot-files of writes in progress; one that vanished meanwhile is skipped. */
    @Override
    public List<Letter> all() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(p);
            }).sorted().toList();
        }
        List<Letter> letters = new ArrayList<>();
        for (Path file : files) {
            try {
                letters.add(new Letter(file.getFileName().toString(), Files.readAllBytes(file)));
            } catch (NoSuchFileException gone) {
                // replayed by another request meanwhile
            }
        }
        return letters;
    }

    @Override
    public void remove(String name) throws IOException {
        Files.deleteIfExists(directory.resolve(name));
    }

    @Override
    public void setAside(String name) {
        Path letter = directory.resolve(name);
        try {
            RobotBacklog.moveAside(letter);
            LOG.warn("Moved unreadable dead letter {} to {}/", name, letter.resolveSibling(RobotBacklog.CORRUPT));
        } catch (IOException e) {
            LOG.warn("Cannot set aside unreadable dead letter {}: {}", name, e.getMessage());
        }
    }

    /**
     * Nothing is held open. Declared here, not as the interface's default: the beans' {@code destroyMethod}
     * (Camel's registry) looks for it in the class and its superclasses only, and warned at every stop.
     */
    @Override
    public void close() {
    }
}
