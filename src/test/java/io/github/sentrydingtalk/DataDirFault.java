package io.github.sentrydingtalk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A data directory whose disk can be made full, then given room again. Where {@code mount} is
 * allowed (CI runs as root) it is a small tmpfs, filled for real until the kernel answers ENOSPC.
 * Elsewhere it falls back to a symlink that, while "full", points to a path under a regular file, so
 * every write under it fails (the reason is printed once).
 */
public final class DataDirFault implements AutoCloseable {

    private final Path dataDir;
    private final boolean tmpfs;
    private final Path realDir;
    private final Path refusing;

    private DataDirFault(Path dataDir, boolean tmpfs, Path realDir, Path refusing) {
        this.dataDir = dataDir;
        this.tmpfs = tmpfs;
        this.realDir = realDir;
        this.refusing = refusing;
    }

    public static DataDirFault create(String size) {
        try {
            Path dir = Files.createTempDirectory("sentry-dingtalk-disk");
            // -Dsentry-dingtalk.test.no-mount=true runs the fallback where mount would work, to check it
            String failure = Boolean.getBoolean("sentry-dingtalk.test.no-mount") ? "mount skipped on request"
                    : run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
            if (failure == null) {
                return new DataDirFault(dir, true, dir, null);
            }
            System.err.println("DataDirFault: mount not permitted (" + failure.strip()
                    + "): falling back to a data directory that refuses writes instead of a full disk");
            Path real = Files.createDirectory(dir.resolve("real"));
            Path refusing = Files.writeString(dir.resolve("a-regular-file"), "x").resolve("data");
            Path link = Files.createSymbolicLink(dir.resolve("data"), real);
            return new DataDirFault(link, false, real, refusing);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isTmpfs() {
        return tmpfs;
    }

    /** Fills the disk: after this, no byte can be written under the data directory. */
    public void fill() throws IOException {
        if (tmpfs) {
            int n = 0;
            while (true) {
                try (OutputStream out = Files.newOutputStream(realDir.resolve("filler-" + n++))) {
                    byte[] chunk = new byte[64 * 1024];
                    while (true) {
                        out.write(chunk);
                    }
                } catch (IOException full) {
                    if (String.valueOf(full.getMessage()).contains("No space left")) {
                        return;
                    }
                    throw full;
                }
            }
        }
        point(refusing);
    }

    /** Gives the room back. */
    public void free() throws IOException {
        if (tmpfs) {
            try (var files = Files.list(realDir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("filler-")).toList()) {
                    Files.delete(f);
                }
            }
            return;
        }
        point(realDir);
    }

    /** Makes the data directory read-only (a read-only remount; else a path that refuses writes). */
    public void readOnly() throws IOException {
        remount("ro", refusing);
    }

    public void writable() throws IOException {
        remount("rw", realDir);
    }

    private void remount(String mode, Path fallback) throws IOException {
        if (!tmpfs) {
            point(fallback);
            return;
        }
        String failure = run("mount", "-o", "remount," + mode, dataDir.toString());
        if (failure != null) {
            throw new IOException("cannot remount " + mode + ": " + failure);
        }
    }

    private void point(Path target) throws IOException {
        Path next = dataDir.resolveSibling("data.next");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, target);
        Files.move(next, dataDir, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        if (tmpfs) {
            run("umount", "-l", dataDir.toString());
        }
    }

    /** Null when the command succeeded, else what it said. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
            String output = new String(process.getInputStream().readAllBytes());
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
