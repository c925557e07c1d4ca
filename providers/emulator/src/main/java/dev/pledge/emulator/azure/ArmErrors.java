package dev.pledge.emulator.azure;

import dev.pledge.emulator.CloudResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/** ARM's error body: {@code {"error":{"code":..., "message":...}}}. */
final class ArmErrors {
    private ArmErrors() {
    }

    static CloudResponse error(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code != null ? code : defaultCode(status));
        error.put("message", message);
        return CloudResponse.json(status, Map.of("error", error));
    }

    static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "AuthenticationFailed";
            case 403 -> "AuthorizationFailed";
            case 404 -> "ResourceNotFound";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalServerError" : "BadRequest";
        };
    }
}
