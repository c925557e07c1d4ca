package dev.pledge.app.web;

import dev.pledge.app.audit.AuditChain;
import dev.pledge.common.model.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** The audit trail as a whole (ADMIN): verify its hash chain, export it as JSON lines. */
@RestController
@Tag(name = "Audit", description = "Tamper evidence and export of the audit trail (ADMIN)")
@RequestMapping("/api/v1/audit")
class AuditController {
    private final AuditChain chain;

    AuditController(AuditChain chain) {
        this.chain = chain;
    }

    @GetMapping("/verify")
    @Operation(summary = "Re-compute the hash chain; names the first broken row (ADMIN)")
    AuditChain.Verification verify() {
        return chain.verify();
    }

    @GetMapping(path = "/export", produces = "application/x-ndjson")
    @Operation(summary = "Sealed audit rows after an id, as JSON lines with their chain hashes (ADMIN)")
    void export(@RequestParam(name = "after", required = false) String after, HttpServletResponse response)
            throws IOException {
        long afterId = 0;
        if (after != null) {
            try {
                afterId = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw new ValidationException("after", "must be an audit row id (a whole number)");
            }
            if (afterId < 0) {
                throw new ValidationException("after", "must not be negative");
            }
        }
        response.setContentType("application/x-ndjson");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Writer out = response.getWriter();
        chain.export(afterId, out);
        out.flush();
    }
}
