package dev.pledge.app.web;

import dev.pledge.app.web.problem.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Errors that happen outside Spring MVC (the servlet container refusing a request) are problems
 * too, instead of the default error page.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            // asked for directly rather than forwarded by the container: there is no error to show
            return Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "there is no endpoint "
                    + request.getMethod() + " /error").instance("/error").toResponse();
        }
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null ? HttpStatus.resolve(c)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String detail = status.is5xxServerError() ? "the request failed on the server"
                : "the request was refused: " + status.getReasonPhrase();
        return Problem.of(status, status.is5xxServerError() ? "internal-error" : "http-" + status.value(),
                status.getReasonPhrase(), detail).instance(uri == null ? null : uri.toString()).toResponse();
    }
}
