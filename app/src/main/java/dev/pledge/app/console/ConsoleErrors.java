package dev.pledge.app.console;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import java.util.UUID;

/**
 * A failure on a console page is a console page (not the API's JSON problem), says what to do, and
 * carries an id to find the logged cause; the cause itself is not shown.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
class ConsoleErrors {
    private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

    /** A path segment that is not an id (e.g. not a UUID) names nothing. */
    @ExceptionHandler(TypeMismatchException.class)
    String notFound(TypeMismatchException e, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.NOT_FOUND.value());
        model.addAttribute("me", People.current().orElse(null));
        model.addAttribute("message", "There is no such " + (e.getPropertyName() == null ? "page" : e.getPropertyName())
                + " as '" + e.getValue() + "'.");
        return "console/not-found";
    }

    @ExceptionHandler(RuntimeException.class)
    String failed(RuntimeException e, Model model, HttpServletResponse response) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        log.error("console request failed (error {})", id, e);
        response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR.value());
        model.addAttribute("me", People.current().orElse(null));
        model.addAttribute("heading", "Something went wrong");
        model.addAttribute("message", "Something went wrong and nothing may have been changed; reload the page to "
                + "see where things stand. If it happens again, give your administrator the error id " + id + ".");
        return "console/not-found";
    }
}
