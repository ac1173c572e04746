package io.github.sentrydingtalk.dingtalk;

import java.io.IOException;
import java.io.Writer;

import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;

/**
 * FreeMarker output format for DingTalk Markdown: every {@code ${...}} in a template is escaped, so
 * text from Sentry ("*", "#", "[link](...)", line breaks) shows as text and cannot change the layout
 * or forge a link. Templates opt out only through the {@code code}, {@code quote} and {@code url}
 * functions of {@link MarkdownTemplates}.
 */
public final class DingTalkMarkdown extends CommonMarkupOutputFormat<DingTalkMarkdown.Markup> {

    public static final DingTalkMarkdown INSTANCE = new DingTalkMarkdown();

    private static final String SPECIAL = "\\`*_[]<>#|~";

    private DingTalkMarkdown() {
    }

    /** Backslash-escapes Markdown punctuation and folds line breaks, for text inside one line. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.append(' ');
            } else {
                if (SPECIAL.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String getName() {
        return "DingTalkMarkdown";
    }

    @Override
    public String getMimeType() {
        return "text/markdown";
    }

    @Override
    public void output(String textToEsc, Writer out) throws IOException {
        out.write(escape(textToEsc));
    }

    @Override
    public String escapePlainText(String plainTextContent) {
        return escape(plainTextContent);
    }

    @Override
    public boolean isLegacyBuiltInBypassed(String builtInName) {
        return false;
    }

    @Override
    protected Markup newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
        return new Markup(plainTextContent, markupContent);
    }

    /** A piece of DingTalk Markdown that is already safe. */
    public static final class Markup extends CommonTemplateMarkupOutputModel<Markup> {
        Markup(String plainTextContent, String markupContent) {
            super(plainTextContent, markupContent);
        }

        @Override
        public DingTalkMarkdown getOutputFormat() {
            return INSTANCE;
        }
    }
}
