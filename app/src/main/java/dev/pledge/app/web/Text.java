package dev.pledge.app.web;

import dev.pledge.common.model.ValidationException;

/** Free text the API stores: any character a person can type, but no control characters (PostgreSQL refuses NUL). */
final class Text {
    private Text() {
    }

    /** Refuses control characters other than tab and line breaks; null passes (required-ness is checked elsewhere). */
    static void printable(String field, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                throw new ValidationException(field, "contains the control character U+"
                        + String.format("%04X", (int) c) + " at position " + i + "; only printable text is accepted");
            }
        }
    }
}
