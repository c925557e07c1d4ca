package dev.pledge.app.web;

import dev.pledge.app.execution.IdempotencyKeyConflictException;
import dev.pledge.app.security.ApiProperties;
import dev.pledge.app.web.problem.Problem;
import dev.pledge.app.web.problem.ProblemException;
import dev.pledge.common.model.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every error of the API as an RFC 9457 problem, naming the field at fault when there is one.
 * Request-reading errors are translated from Jackson's own path, so {@code items[2].quantity} is named
 * even when the body never reached our code.
 */
@RestControllerAdvice
class ApiErrorHandling {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandling.class);
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"([^\"]+)\"");
    private final ApiProperties properties;

    ApiErrorHandling(ApiProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Map<String, Object>> problem(ProblemException e, HttpServletRequest request) {
        return e.problem().instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<Map<String, Object>> invalid(ValidationException e, HttpServletRequest request) {
        return Problem.invalid(e.field(), e.problem()).instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(IdempotencyKeyConflictException.class)
    ResponseEntity<Map<String, Object>> idempotencyConflict(IdempotencyKeyConflictException e,
                                                            HttpServletRequest request) {
        return Problem.of(HttpStatus.CONFLICT, "idempotency-key-reused", "Idempotency-Key reused",
                        e.getMessage())
                .with("field", PurchaseController.IDEMPOTENCY_KEY)
                .with("purchase", e.existingExecution())
                .instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(dev.pledge.app.budget.BudgetExceededException.class)
    ResponseEntity<Map<String, Object>> budgetExceeded(dev.pledge.app.budget.BudgetExceededException e,
                                                       HttpServletRequest request) {
        Problem p = Problem.of(HttpStatus.CONFLICT, "budget-exceeded", "Budget exceeded", e.getMessage())
                .with("budget", e.budget()).with("currency", e.currency());
        if (e.limit() != null) {
            p = p.with("limit", e.limit());
        }
        if (e.asked() != null) {
            p = p.with("spent", e.spent()).with("reserved", e.reserved()).with("asked", e.asked())
                    .with("remaining", e.remaining());
        }
        return p.instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return unreadableBody(e).instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> typeMismatch(MethodArgumentTypeMismatchException e,
                                                     HttpServletRequest request) {
        Throwable cause = e.getMostSpecificCause();
        String problem = cause instanceof ValidationException v ? v.problem()
                : e.getRequiredType() == UUID.class ? "'" + e.getValue() + "' is not an id (a UUID)"
                : "'" + e.getValue() + "' is not valid";
        String field = cause instanceof ValidationException v ? v.field() : e.getName();
        return Problem.invalid(field, problem).instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException e,
                                                         HttpServletRequest request) {
        return Problem.invalid(e.getParameterName(), "is required").instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Map<String, Object>> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return Problem.invalid(e.getHeaderName(), "header is required").instance(request.getRequestURI())
                .toResponse();
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> unsupportedMediaType(HttpMediaTypeNotSupportedException e,
                                                             HttpServletRequest request) {
        return Problem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                        "Content-Type: send the body as application/json"
                                + (e.getContentType() == null ? "" : ", not " + e.getContentType()))
                .with("field", "Content-Type").instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException e,
                                                      HttpServletRequest request) {
        return Problem.of(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable",
                        "Accept: this API answers application/json")
                .with("field", "Accept").instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> methodNotAllowed(HttpRequestMethodNotSupportedException e,
                                                         HttpServletRequest request) {
        ResponseEntity<Map<String, Object>> r = Problem.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                "Method not allowed", e.getMethod() + " is not supported here; allowed: "
                        + String.join(", ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods()))
                .instance(request.getRequestURI()).toResponse();
        return ResponseEntity.status(r.getStatusCode()).headers(e.getHeaders()).contentType(
                r.getHeaders().getContentType()).body(r.getBody());
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<Map<String, Object>> noSuchEndpoint(Exception e, HttpServletRequest request) {
        return Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                        "there is no endpoint " + request.getMethod() + " " + request.getRequestURI()
                                + "; the API is described at /v3/api-docs")
                .instance(request.getRequestURI()).toResponse();
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        String incident = UUID.randomUUID().toString();
        log.error("request {} {} failed (incident {})", request.getMethod(), request.getRequestURI(), incident, e);
        return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                        "the request failed on the server; nothing is known to have changed unless the purchase's "
                                + "audit trail says so. Quote incident " + incident + " to the operator")
                .with("incident", incident).instance(request.getRequestURI()).toResponse();
    }

    private Problem unreadableBody(HttpMessageNotReadableException e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof RequestBodyLimitFilter.BodyTooLargeException big) {
                return RequestBodyLimitFilter.tooLarge(big.maxBytes());
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        Throwable cause = e.getCause();
        if (cause instanceof ValueInstantiationException v && v.getCause() instanceof ValidationException ve) {
            return Problem.invalid(prefixed(path(v), ve.field()), ve.problem());
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return Problem.invalid(path(u), "unknown field; allowed here: " + u.getKnownPropertyIds());
        }
        if (cause instanceof InvalidFormatException f) {
            return Problem.invalid(path(f), "'" + abbreviate(String.valueOf(f.getValue())) + "' is not "
                    + expected(f.getTargetType()));
        }
        if (cause instanceof MismatchedInputException m) {
            String field = path(m);
            if (field.isEmpty()) {
                return Problem.invalid("body", "must be a JSON object");
            }
            return Problem.invalid(field, "must be " + expected(m.getTargetType()));
        }
        if (cause instanceof InputCoercionException range && !path(range).isEmpty()) {
            return Problem.invalid(path(range), "is out of range: " + firstSentence(range.getOriginalMessage()));
        }
        if (cause instanceof StreamReadException s) {
            String message = firstSentence(s.getOriginalMessage());
            Matcher duplicate = DUPLICATE.matcher(message);
            if (duplicate.find()) {
                return Problem.invalid(prefixed(path(s), duplicate.group(1)), "appears twice in the same object");
            }
            String where = s.getLocation() == null ? "" : " (line " + s.getLocation().getLineNr() + ", column "
                    + s.getLocation().getColumnNr() + ")";
            return Problem.invalid("body", "is not valid JSON" + where + ": " + message);
        }
        if (cause instanceof JacksonException j) {
            String field = path(j);
            return Problem.invalid(field.isEmpty() ? "body" : field, abbreviate(j.getOriginalMessage()));
        }
        return Problem.invalid("body", "is required: send a JSON object (Content-Type: application/json, at most "
                + properties.maxBodySize().toBytes() + " bytes)");
    }

    /** Jackson's path as the API names fields: {@code items[2].quantity}. */
    static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Jackson's message without the parser's source description. */
    private static String firstSentence(String message) {
        String m = message == null ? "" : message;
        for (String cut : new String[]{" (start marker", "\n", " at [Source"}) {
            int i = m.indexOf(cut);
            if (i > 0) {
                m = m.substring(0, i);
            }
        }
        return abbreviate(m);
    }

    private static String prefixed(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == UUID.class) {
            return "an id (a UUID)";
        }
        if (type == java.time.Instant.class) {
            return "an instant such as 2026-01-31T09:00:00Z";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of string values";
        }
        if (type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
    }
}
