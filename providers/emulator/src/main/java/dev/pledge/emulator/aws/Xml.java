package dev.pledge.emulator.aws;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Tiny XML writing for the query-protocol answers: escaped elements, nothing more. */
final class Xml {
    private final StringBuilder sb = new StringBuilder();

    Xml el(String name, Object value) {
        if (value != null) {
            sb.append('<').append(name).append('>').append(escape(text(value))).append("</").append(name).append('>');
        }
        return this;
    }

    Xml open(String name) {
        sb.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        sb.append("</").append(name).append('>');
        return this;
    }

    Xml raw(String xml) {
        sb.append(xml);
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    private static String text(Object value) {
        if (value instanceof Instant i) {
            return i.truncatedTo(ChronoUnit.MILLIS).toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
