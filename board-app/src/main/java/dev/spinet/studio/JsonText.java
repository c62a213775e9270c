package dev.spinet.studio;

import java.util.Collection;
import java.util.Map;

/** Writes JSON (RFC 8259) for the studio's answers: strings escaped, nothing else to think about. */
final class JsonText {

    private final StringBuilder out = new StringBuilder(4096);
    private boolean first = true;

    /** Appends {@code text} as a JSON string. */
    static void string(StringBuilder out, String text) {
        if (text == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // '<' too, so a string can sit inside a <script> element of the page.
                case '<' -> out.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        string(out, text);
        return out.toString();
    }

    /** A flat object of strings, e.g. the captions. */
    static String object(Map<String, String> values) {
        JsonText json = new JsonText().begin();
        values.forEach(json::field);
        return json.end();
    }

    /** An array of strings. */
    static String array(Collection<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (String value : values) {
            if (out.length() > 1) {
                out.append(',');
            }
            string(out, value);
        }
        return out.append(']').toString();
    }

    JsonText begin() {
        out.append('{');
        first = true;
        return this;
    }

    String end() {
        return out.append('}').toString();
    }

    private StringBuilder name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(out, name);
        return out.append(':');
    }

    JsonText field(String name, String value) {
        string(name(name), value);
        return this;
    }

    JsonText field(String name, long value) {
        name(name).append(value);
        return this;
    }

    JsonText field(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    /** A field whose value is already JSON (an object or array written elsewhere). */
    JsonText raw(String name, String json) {
        name(name).append(json);
        return this;
    }
}
