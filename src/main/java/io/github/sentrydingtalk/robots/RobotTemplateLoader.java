package io.github.sentrydingtalk.robots;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;

import freemarker.cache.TemplateLoader;

/**
 * Finds {@code robots/<robot>/<name>} in that robot's own templates folder
 * ({@code dingtalk.robots[N].templates}) when it has the file, else {@code <name>} in the default
 * folder. So a robot overrides only the templates it wants, and imports such as {@code _lines.ftl}
 * fall back to the defaults. Files are read again when they change (FreeMarker's update delay).
 */
final class RobotTemplateLoader implements TemplateLoader {

    static final String PREFIX = "robots/";

    private final File defaults;
    private final RobotRegistry robots;

    RobotTemplateLoader(File defaults, RobotRegistry robots) {
        this.defaults = defaults;
        this.robots = robots;
    }

    @Override
    public Object findTemplateSource(String name) {
        String file = name;
        if (name.startsWith(PREFIX) && name.indexOf('/', PREFIX.length()) > 0) {
            String directory = name.substring(PREFIX.length(), name.indexOf('/', PREFIX.length()));
            file = name.substring(name.indexOf('/', PREFIX.length()) + 1);
            for (Robot robot : robots.robots()) {
                if (robot.templates() != null && robot.directory().equals(directory)) {
                    File own = inside(new File(robot.templates()), file);
                    if (own != null && own.isFile()) {
                        return own;
                    }
                }
            }
        }
        File fallback = inside(defaults, file);
        return fallback != null && fallback.isFile() ? fallback : null;
    }

    /** The file, only if it stays inside the folder (no ../ escapes). */
    private static File inside(File folder, String name) {
        try {
            File candidate = new File(folder, name).getCanonicalFile();
            return candidate.toPath().startsWith(folder.getCanonicalFile().toPath()) ? candidate : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public long getLastModified(Object templateSource) {
        return ((File) templateSource).lastModified();
    }

    @Override
    public Reader getReader(Object templateSource, String encoding) throws IOException {
        return new InputStreamReader(Files.newInputStream(((File) templateSource).toPath()), Charset.forName(encoding));
    }

    @Override
    public void closeTemplateSource(Object templateSource) {
        // nothing held open between calls
    }
}
