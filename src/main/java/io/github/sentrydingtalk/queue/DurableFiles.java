package io.github.sentrydingtalk.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that it is either whole on disk or absent, even across a power cut: a temp file
 * (a dot-file, which no reader picks up), the bytes, fsync, an atomic rename, fsync of the folder.
 * If anything fails (a full disk, a read-only folder) the temp file is removed and the failure thrown.
 */
public final class DurableFiles {

    static final String TEMP_SUFFIX = ".tmp";

    private DurableFiles() {
    }

    public static Path write(Path folder, String name, byte[] content) throws IOException {
        Files.createDirectories(folder);
        Path temp = folder.resolve("." + name + "." + UUID.randomUUID() + TEMP_SUFFIX);
        Path target = folder.resolve(name);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException notRemoved) {
                e.addSuppressed(notRemoved);
            }
            throw e;
        }
        // the rename itself must survive a power cut too
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
        return target;
    }

    /**
     * Removes the dot-files (temp files of writes that never finished: a crash, or an older version's
     * failed write) last modified before {@code before}; folders such as {@code .corrupt/} stay.
     */
    public static int removeStaleTemps(Path folder, long before) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, ".*")) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toMillis() < before) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        }
        return removed;
    }
}
