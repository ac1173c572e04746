package io.github.sentrydingtalk.robots;

import java.io.File;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.UnaryOperator;

import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;
import io.github.sentrydingtalk.dingtalk.DingTalkMarkdown;

/**
 * The FreeMarker configuration for message templates: files from the templates folder, re-read a
 * few seconds after they change, Markdown auto-escaping, and no way for a template to create or
 * reach Java classes ({@code ?new} and {@code ?api} are off).
 * <p>
 * Functions available in every template:
 * {@code code(s)} an inline code span, {@code quote(s)} a block quote, {@code url(s)} a link target,
 * {@code time(s)} an ISO-8601 time from Sentry as {@code yyyy-MM-dd HH:mm:ss} in {@code notify.time-zone}.
 */
public final class MarkdownTemplates {

    private MarkdownTemplates() {
    }

    /** Default templates, overridden per robot under {@code robots/<robot>/<name>}. */
    public static Configuration configuration(String templatesDir, long updateDelayMillis, RobotRegistry robots)
            throws TemplateException {
        return configuration(templatesDir, updateDelayMillis, robots, "");
    }

    /** As above, with times shown in {@code timeZone} ({@code notify.time-zone}; empty: the JVM's zone). */
    public static Configuration configuration(String templatesDir, long updateDelayMillis, RobotRegistry robots,
                                              String timeZone) throws TemplateException {
        Configuration cfg = configuration(updateDelayMillis);
        cfg.setSharedVariable("time", times(MessageTimes.zone(timeZone)));
        cfg.setTemplateLoader(new RobotTemplateLoader(new File(templatesDir), robots));
        return cfg;
    }

    private static Configuration configuration(long updateDelayMillis) throws TemplateException {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setTemplateUpdateDelayMilliseconds(updateDelayMillis);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setLocale(Locale.ROOT);
        cfg.setLocalizedLookup(false);
        cfg.setOutputFormat(DingTalkMarkdown.INSTANCE);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setSharedVariable("code", markup(MarkdownTemplates::code));
        cfg.setSharedVariable("quote", markup(MarkdownTemplates::quote));
        cfg.setSharedVariable("url", markup(MarkdownTemplates::url));
        return cfg;
    }

    /** An inline code span: backticks inside would end it early, so they become quotes. */
    static String code(String text) {
        return "`" + text.replace('`', '\'').replaceAll("[\\r\\n]+", " ") + "`";
    }

    /** A block quote of escaped lines, so a multi-line message stays inside the quote. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.strip().split("\\r?\\n|\\r")) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line.isBlank() ? ">" : "> " + DingTalkMarkdown.escape(line.strip()));
        }
        return out.toString();
    }

    /** A link target: only http(s), with the characters that would end a Markdown link encoded. */
    static String url(String link) {
        String lower = link.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            return "#";
        }
        StringBuilder out = new StringBuilder();
        for (char c : link.strip().toCharArray()) {
            switch (c) {
                case ' ' -> out.append("%20");
                case '(' -> out.append("%28");
                case ')' -> out.append("%29");
                case '<' -> out.append("%3C");
                case '>' -> out.append("%3E");
                case '"' -> out.append("%22");
                case '`' -> out.append("%60");
                case '\r', '\n', '\t' -> { }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code time(s)}: a missing time stays missing ({@code time(i.firstSeen)} inside {@code <#if i.firstSeen??>}). */
    private static TemplateMethodModelEx times(ZoneId zone) {
        return args -> {
            if (args.size() != 1) {
                throw new TemplateModelException("time() expects exactly one argument");
            }
            Object value = DeepUnwrap.unwrap((TemplateModel) args.get(0));
            return MessageTimes.format(value == null ? null : String.valueOf(value), zone);
        };
    }

    private static TemplateMethodModelEx markup(UnaryOperator<String> fn) {
        return args -> {
            if (args.size() != 1) {
                throw new TemplateModelException("expects exactly one argument");
            }
            Object value = DeepUnwrap.unwrap((TemplateModel) args.get(0));
            return DingTalkMarkdown.INSTANCE.fromMarkup(fn.apply(String.valueOf(value)));
        };
    }
}
