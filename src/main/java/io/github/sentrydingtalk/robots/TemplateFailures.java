package io.github.sentrydingtalk.robots;

import java.io.File;
import java.io.IOException;

import freemarker.cache.TemplateLoader;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateNotFoundException;
import io.github.sentrydingtalk.dingtalk.DeliveryFailures;
import org.apache.camel.Exchange;

/**
 * Names a message template that cannot be read or rendered as a permanent delivery failure
 * (dead-lettered at once), with a reason that names the file and line and never holds a token or secret.
 */
public class TemplateFailures {

    private Configuration templates;

    /** The FreeMarker configuration ({@code markdownTemplates}), to name the file behind a template. */
    public void setTemplates(Configuration templates) {
        this.templates = templates;
    }

    /** Rendering failed (variable {@code robot}, the caught exception): throws {@link TemplateFailedException}. */
    public void throwTemplateError(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Robot robot = exchange.getVariable("robot", Robot.class);
        exchange.setVariable("attempts", exchange.getVariable("attempts", 0, Integer.class)); // none: nothing was sent
        String token = robot == null ? null : robot.sink().accessToken();
        String secret = robot == null ? null : robot.sink().secret();
        String reason = DeliveryFailures.masked(templateReason(failure), token, secret);
        if (robot != null && robot.sink().appRobot()) {
            reason = DeliveryFailures.masked(reason, null, robot.sink().app().appSecret());
        }
        throw new TemplateFailedException(reason);
    }

    String templateReason(Throwable failure) {
        ParseException syntax = find(failure, ParseException.class);
        if (syntax != null) {
            return "template error in " + file(syntax.getTemplateName()) + ", line " + syntax.getLineNumber()
                    + ", column " + syntax.getColumnNumber() + ": " + firstLine(syntax.getEditorMessage());
        }
        TemplateException error = find(failure, TemplateException.class);
        if (error != null) {
            String line = error.getLineNumber() == null ? "" : ", line " + error.getLineNumber();
            return "template error in " + file(error.getTemplateSourceName()) + line + ": "
                    + firstLine(error.getMessageWithoutStackTop());
        }
        TemplateNotFoundException missing = find(failure, TemplateNotFoundException.class);
        if (missing != null) {
            return "template not found: " + withoutRobotFolder(missing.getTemplateName())
                    + " is neither in the robot's templates folder nor in notify.templates-dir";
        }
        return "template could not be read (" + (failure == null ? "unknown failure"
                : failure.getClass().getSimpleName() + ": " + firstLine(failure.getMessage())) + ")";
    }

    /** The file a template name stands for (a robot's own or the default), else the name. */
    private String file(String templateName) {
        if (templateName == null) {
            return "an unnamed template";
        }
        TemplateLoader loader = templates == null ? null : templates.getTemplateLoader();
        try {
            Object source = loader == null ? null : loader.findTemplateSource(templateName);
            if (source instanceof File file) {
                return file.getPath();
            }
        } catch (IOException e) {
            // fall back to the name
        }
        return withoutRobotFolder(templateName);
    }

    private static String withoutRobotFolder(String templateName) {
        if (templateName != null && templateName.startsWith(RobotTemplateLoader.PREFIX)) {
            int slash = templateName.indexOf('/', RobotTemplateLoader.PREFIX.length());
            return slash < 0 ? templateName : templateName.substring(slash + 1);
        }
        return templateName;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        int help = line.indexOf(" Help (latest version)"); // FreeMarker's link to its manual
        line = help > 0 ? line.substring(0, help) : line;
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
