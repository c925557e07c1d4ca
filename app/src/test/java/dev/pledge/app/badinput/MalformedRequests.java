package dev.pledge.app.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Generates malformed API requests from a seed: every field of a valid purchase request missing,
 * null, of the wrong type, huge, out of range or unknown; broken JSON; wrong content types; unknown
 * accounts and ids; bad query parameters; and random combinations of those. Each request has exactly
 * the defects its name says, on top of a request the API accepts.
 */
final class MalformedRequests {
    static final String PURCHASES = "/api/v1/purchases";
    static final String ACCOUNTS = "/api/v1/accounts";

    /** Values of every JSON type, so each field can be given the ones it does not take. */
    private static final List<Object> WRONG_TYPES = List.of(
            123, -7, 1.5, true, false, List.of(), List.of(1, 2), Map.of(), Map.of("a", 1), "text", "");

    private final Random random;
    private final UUID awsAccount;
    private final UUID azureAccount;
    private final UUID disabledAccount;
    private final UUID pendingExecution;
    private final List<MalformedRequest> out = new ArrayList<>();

    /**
     * @param awsAccount       an enabled AWS account (the valid request buys for it)
     * @param azureAccount     an enabled Azure account (wrong cloud for an AWS type)
     * @param disabledAccount  a disabled AWS account
     * @param pendingExecution an execution awaiting approval (for reject/approve bodies)
     */
    MalformedRequests(long seed, UUID awsAccount, UUID azureAccount, UUID disabledAccount, UUID pendingExecution) {
        this.random = new Random(seed);
        this.awsAccount = awsAccount;
        this.azureAccount = azureAccount;
        this.disabledAccount = disabledAccount;
        this.pendingExecution = pendingExecution;
    }

    /** A purchase request the API accepts (one RDS item). */
    Map<String, Object> validPurchase() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "bad-input suite baseline");
        List<Object> items = new ArrayList<>();
        items.add(validItem());
        body.put("items", items);
        return body;
    }

    Map<String, Object> validItem() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "aws-rds");
        item.put("account", awsAccount.toString());
        item.put("region", "us-east-1");
        item.put("offering", "db.r6g.large");
        item.put("quantity", 1);
        item.put("term", "1y");
        item.put("payment", "no-upfront");
        item.put("attributes", new LinkedHashMap<String, Object>());
        return item;
    }

    List<MalformedRequest> generate(int atLeast) {
        itemFields();
        topLevelFields();
        slugs();
        numbers();
        accounts();
        unknownFields();
        itemLists();
        attributes();
        brokenJson();
        contentTypes();
        otherEndpoints();
        while (out.size() < atLeast) {
            combined();
        }
        return List.copyOf(out);
    }

    private void itemFields() {
        for (String field : List.of("type", "account", "region", "offering", "quantity", "term", "payment")) {
            purchase("items[0]." + field + " missing", b -> item(b).remove(field));
            purchase("items[0]." + field + " null", b -> item(b).put(field, null));
        }
        for (String field : validItem().keySet()) {
            Object valid = validItem().get(field);
            for (Object wrong : WRONG_TYPES) {
                if (sameJsonType(valid, wrong) || (field.equals("attributes") && wrong instanceof Map<?, ?> m && m.isEmpty())) {
                    continue;
                }
                purchase("items[0]." + field + " = " + JsonText.write(wrong) + " (wrong type)",
                        b -> item(b).put(field, wrong));
            }
            if (valid instanceof String) {
                for (int size : new int[] {257, 10_000, 100_000}) {
                    purchase("items[0]." + field + " is a " + size + "-character string",
                            b -> item(b).put(field, "x".repeat(size)));
                }
                purchase("items[0]." + field + " has control characters", b -> item(b).put(field, "us-\u0000east\n1"));
                purchase("items[0]." + field + " is blank", b -> item(b).put(field, "   "));
            }
        }
    }

    private void topLevelFields() {
        purchase("items missing", b -> b.remove("items"));
        purchase("items null", b -> b.put("items", null));
        for (Object wrong : WRONG_TYPES) {
            if (!(wrong instanceof List<?>)) {
                purchase("items = " + JsonText.write(wrong) + " (wrong type)", b -> b.put("items", wrong));
            }
            if (!(wrong instanceof String)) {
                purchase("description = " + JsonText.write(wrong) + " (wrong type)", b -> b.put("description", wrong));
            }
            // a number is an instant (epoch seconds) to a JSON reader; an empty string may read as absent
            if (!(wrong instanceof Number) && !"".equals(wrong)) {
                purchase("notBefore = " + JsonText.write(wrong) + " (not an instant)", b -> b.put("notBefore", wrong));
            }
        }
        for (int size : new int[] {2_001, 50_000, 1_000_000}) {
            purchase("description is a " + size + "-character string", b -> b.put("description", "d".repeat(size)));
        }
        for (String when : List.of("tomorrow", "2026-13-45T00:00:00Z", "2026-02-30", "+999999999-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z", "1e400", "2026-01-01T25:61:61Z")) {
            purchase("notBefore = '" + when + "'", b -> b.put("notBefore", when));
        }
        purchase("body is an array", b -> {
        });
        out.set(out.size() - 1, MalformedRequest.post("body is an array of a valid request", PURCHASES,
                List.of(validPurchase())));
        purchase("body is a JSON string", b -> {
        });
        out.set(out.size() - 1, MalformedRequest.post("body is a JSON string", PURCHASES, "purchase"));
    }

    private void slugs() {
        for (String type : List.of("aws-ec3", "aws", "rds", "gcp-storage", "azure-vm", "aws_rds ", "AWS RDS", "aws-rds;drop",
                "\u0430ws-rds", "aws-rds\u0000x", "../aws-rds", "*")) {
            purchase("items[0].type = '" + type + "' (unknown slug)", b -> item(b).put("type", type));
        }
        for (String term : List.of("2y", "0y", "5y", "1", "12m", "forever", "-1y", "1y1y")) {
            purchase("items[0].term = '" + term + "' (not sold)", b -> item(b).put("term", term));
        }
        for (String payment : List.of("monthly", "upfront", "free", "no upfront", "none", "all-upfront-please")) {
            purchase("items[0].payment = '" + payment + "' (not sold)", b -> item(b).put("payment", payment));
        }
        purchase("gcp-compute with a payment option", b -> {
            item(b).put("type", "gcp-compute");
            item(b).put("payment", "no-upfront");
        });
        for (String region : List.of("us east 1", "-us-east-1", "us_east_1", "us-east-1/../x", "\u00fcs-east-1")) {
            purchase("items[0].region = '" + region + "' (not a region)", b -> item(b).put("region", region));
        }
        for (String offering : List.of("db r6g large", "-db.r6g.large", "db.r6g.large;rm", "<script>", "db.\u00e9.large")) {
            purchase("items[0].offering = '" + offering + "' (not an offering)", b -> item(b).put("offering", offering));
        }
    }

    private void numbers() {
        for (String q : List.of("0", "-1", "-2147483648", "2147483648", "9223372036854775808",
                "99999999999999999999999999", "1e309", "-1e309", "10001", "1e10", "NaN", "Infinity", "-0", "0x10", "01",
                "1.0e-400", "+1", "1.5", "1.0", "2.5e0", "true", "\"1\"", "[1]", "{}")) {
            purchase("items[0].quantity = " + q, b -> item(b).put("quantity", new JsonText.Raw(q)));
        }
    }

    private void accounts() {
        for (int i = 0; i < 6; i++) {
            UUID unknown = new UUID(random.nextLong(), random.nextLong());
            purchase("items[0].account = unknown id " + unknown, b -> item(b).put("account", unknown.toString()));
        }
        for (String bad : List.of("not-a-uuid", "00000000-0000-0000-0000-00000000000g", "123", "' OR 1=1 --",
                awsAccount + "0", awsAccount.toString().replace("-", ""))) {
            purchase("items[0].account = '" + bad + "' (not an account id)", b -> item(b).put("account", bad));
        }
        purchase("items[0].account is an Azure account for an AWS type",
                b -> item(b).put("account", azureAccount.toString()));
        purchase("items[0].account is disabled", b -> item(b).put("account", disabledAccount.toString()));
        purchase("items[0].account = the nil UUID", b -> item(b).put("account", new UUID(0, 0).toString()));
    }

    private void unknownFields() {
        for (String field : List.of("id", "status", "executionToken", "token", "createdBy", "approvedBy", "extra",
                "Items")) {
            purchase("unknown top-level field '" + field + "'", b -> b.put(field, "x"));
        }
        for (String field : List.of("commitmentId", "status", "price", "Type", "accountId", "count")) {
            purchase("unknown item field '" + field + "'", b -> item(b).put(field, "x"));
        }
    }

    private void itemLists() {
        purchase("items is empty", b -> b.put("items", new ArrayList<>()));
        purchase("items = [null]", b -> {
            List<Object> l = new ArrayList<>();
            l.add(null);
            b.put("items", l);
        });
        purchase("items = [1]", b -> b.put("items", List.of(1)));
        purchase("items = [[]]", b -> b.put("items", List.of(List.of())));
        purchase("items = [{}]", b -> b.put("items", List.of(new LinkedHashMap<>())));
        purchase("201 items", b -> {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < 201; i++) {
                l.add(validItem());
            }
            b.put("items", l);
        });
        purchase("second of three items invalid (quantity 0)", b -> {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                l.add(validItem());
            }
            ((Map<String, Object>) castMap(l.get(1))).put("quantity", 0);
            b.put("items", l);
        });
        purchase("last of five items has an unknown account", b -> {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                l.add(validItem());
            }
            castMap(l.get(4)).put("account", UUID.randomUUID().toString());
            b.put("items", l);
        });
    }

    private void attributes() {
        purchase("attributes with a number value", b -> item(b).put("attributes", Map.of("note", 1)));
        purchase("attributes with an object value", b -> item(b).put("attributes", Map.of("note", Map.of("a", "b"))));
        purchase("attributes with a list value", b -> item(b).put("attributes", Map.of("note", List.of("a"))));
        purchase("attributes with a null value", b -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("note", null);
            item(b).put("attributes", a);
        });
        purchase("attributes with 33 keys", b -> {
            Map<String, Object> a = new LinkedHashMap<>();
            for (int i = 0; i < 33; i++) {
                a.put("k" + i, "v");
            }
            item(b).put("attributes", a);
        });
        purchase("attributes key starting with a digit", b -> item(b).put("attributes", Map.of("1key", "v")));
        purchase("attributes key with a space", b -> item(b).put("attributes", Map.of("a key", "v")));
        purchase("attributes key of 65 characters", b -> item(b).put("attributes", Map.of("k".repeat(65), "v")));
        purchase("attributes key empty", b -> item(b).put("attributes", Map.of("", "v")));
        purchase("attributes value of 1025 characters", b -> item(b).put("attributes", Map.of("note", "v".repeat(1025))));
        purchase("attributes value with a control character", b -> item(b).put("attributes", Map.of("note", "a\u0007b")));
        purchase("attributes the executor does not know", b -> item(b).put("attributes", Map.of("reservedResourceType",
                "VirtualMachines")));
    }

    private void brokenJson() {
        String valid = JsonText.write(validPurchase());
        for (int i = 0; i < 40; i++) {
            int cut = 1 + random.nextInt(valid.length() - 1);
            out.add(MalformedRequest.json("JSON cut after " + cut + " of " + valid.length() + " characters", "POST",
                    PURCHASES, valid.substring(0, cut)));
        }
        for (int added = 0, tries = 0; added < 20 && tries < 1_000; tries++) {
            int at = random.nextInt(valid.length());
            String junkChars = "{}[]\",:\\x'\u0000";
            char junk = junkChars.charAt(random.nextInt(junkChars.length()));
            String broken = valid.substring(0, at) + junk + valid.substring(at);
            if (parses(broken)) {
                continue; // e.g. a comma inside a string: still JSON, so not this case's defect
            }
            out.add(MalformedRequest.json("JSON with '" + printable(junk) + "' inserted at " + at, "POST", PURCHASES,
                    broken));
            added++;
        }
        List<String> fixed = List.of("", " ", "{", "}", "[", "null", "0", "true", "\"x\"", "{'items':[]}",
                "{\"items\":[],}", "{\"items\":[] /* c */}", "{\"items\" [] }", "{items: []}", "{\"items\":[{]}",
                "{\"description\":\"\\uZZZZ\"}", "{\"description\":\"unterminated}",
                valid + "garbage", valid + valid, "{\"items\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                "{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001), "{\"items\":[" + "1,".repeat(100_000) + "1]}");
        for (String body : fixed) {
            out.add(MalformedRequest.json("broken JSON '" + printable(body) + "'", "POST", PURCHASES, body));
        }
        byte[] latin1 = valid.replace("baseline", "b\u00e9seline").getBytes(StandardCharsets.ISO_8859_1);
        out.add(new MalformedRequest("invalid UTF-8 (Latin-1 bytes)", "POST", PURCHASES, "application/json", latin1));
        byte[] junk = new byte[512];
        random.nextBytes(junk);
        out.add(new MalformedRequest("512 random bytes", "POST", PURCHASES, "application/json", junk));
    }

    private void contentTypes() {
        byte[] valid = JsonText.write(validPurchase()).getBytes(StandardCharsets.UTF_8);
        for (String type : List.of("text/plain", "application/xml", "text/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/octet-stream", "text/html", "application/yaml",
                "application/jsonx", "image/png")) {
            out.add(new MalformedRequest("valid JSON sent as " + type, "POST", PURCHASES, type, valid));
        }
        out.add(new MalformedRequest("valid JSON without a Content-Type", "POST", PURCHASES, null, valid));
        String yaml = "description: sent as YAML\nunknownField: 1\nitems:\n  - type: aws-rds\n    account: " + awsAccount
                + "\n    region: us-east-1\n    offering: db.r6g.large\n    quantity: '1'\n    term: 1y\n"
                + "    payment: no-upfront\n";
        for (String type : List.of("application/yaml", "application/x-yaml", "text/yaml")) {
            out.add(new MalformedRequest("YAML with an unknown field and a quoted number as " + type, "POST", PURCHASES,
                    type, yaml.getBytes(StandardCharsets.UTF_8)));
        }
        out.add(new MalformedRequest("no body at all", "POST", PURCHASES, "application/json", null));
        out.add(new MalformedRequest("XML body", "POST", PURCHASES, "application/xml",
                "<purchase><items/></purchase>".getBytes(StandardCharsets.UTF_8)));
        out.add(new MalformedRequest("form body", "POST", PURCHASES, "application/x-www-form-urlencoded",
                "items=1&description=x".getBytes(StandardCharsets.UTF_8)));
    }

    private void otherEndpoints() {
        String pending = PURCHASES + "/" + pendingExecution;
        for (int i = 0; i < 4; i++) {
            UUID unknown = new UUID(random.nextLong(), random.nextLong());
            for (String action : List.of("approve", "reject", "cancel", "redrive")) {
                out.add(MalformedRequest.post(action + " of an unknown execution", PURCHASES + "/" + unknown + "/" + action,
                        Map.of("reason", "bad-input suite")));
            }
            out.add(new MalformedRequest("GET an unknown execution", "GET", PURCHASES + "/" + unknown, null, null));
            out.add(new MalformedRequest("GET the events of an unknown execution", "GET",
                    PURCHASES + "/" + unknown + "/events", null, null));
        }
        for (String id : List.of("not-a-uuid", "1", "0000", "'%20OR%201=1", "x".repeat(300),
                UUID.randomUUID() + "0")) {
            for (String action : List.of("approve", "reject", "cancel", "redrive")) {
                out.add(MalformedRequest.post(action + " of execution id '" + abbreviate(id) + "'",
                        PURCHASES + "/" + id + "/" + action, Map.of("reason", "x")));
            }
            out.add(new MalformedRequest("GET execution id '" + abbreviate(id) + "'", "GET", PURCHASES + "/" + id, null, null));
        }
        out.add(MalformedRequest.post("reject without a reason", pending + "/reject", Map.of()));
        out.add(MalformedRequest.post("reject with a blank reason", pending + "/reject", Map.of("reason", "   ")));
        out.add(MalformedRequest.post("reject with a 100000-character reason", pending + "/reject",
                Map.of("reason", "r".repeat(100_000))));
        out.add(MalformedRequest.post("reject with a numeric reason", pending + "/reject", Map.of("reason", 12)));
        out.add(MalformedRequest.json("reject with broken JSON", "POST", pending + "/reject", "{\"reason\":"));
        out.add(MalformedRequest.post("redrive of an execution awaiting approval", pending + "/redrive", Map.of()));
        for (String query : List.of("status=FOO", "status=PENDING", "status=succeeded;drop", "cloud=moon", "cloud=",
                "account=not-a-uuid", "cursor=garbage", "cursor=" + "A".repeat(2000), "cursor=%00", "limit=-1",
                "limit=0", "limit=100000000000", "limit=abc", "createdAfter=yesterday", "createdBefore=2026-13-01",
                "createdAfter=1e400")) {
            out.add(new MalformedRequest("list with " + abbreviate(query), "GET", PURCHASES + "?" + query, null, null));
        }
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("cloud", "aws");
        account.put("externalId", "123456789012");
        account.put("name", "bad-input");
        account.put("credentials", new LinkedHashMap<>());
        for (String field : List.of("cloud", "externalId", "name")) {
            Map<String, Object> missing = new LinkedHashMap<>(account);
            missing.remove(field);
            out.add(MalformedRequest.post("account without " + field, ACCOUNTS, missing));
            for (Object wrong : List.of(1, true, List.of(), Map.of(), "x".repeat(10_000))) {
                Map<String, Object> bad = new LinkedHashMap<>(account);
                bad.put(field, wrong);
                out.add(MalformedRequest.post("account " + field + " = " + abbreviate(JsonText.write(wrong)), ACCOUNTS,
                        bad));
            }
        }
        for (String cloud : List.of("moon", "a w s", "", "oracle")) {
            Map<String, Object> bad = new LinkedHashMap<>(account);
            bad.put("cloud", cloud);
            out.add(MalformedRequest.post("account cloud '" + cloud + "'", ACCOUNTS, bad));
        }
        Map<String, Object> creds = new LinkedHashMap<>(account);
        creds.put("credentials", "role-arn");
        out.add(MalformedRequest.post("account credentials as a string", ACCOUNTS, creds));
        Map<String, Object> extra = new LinkedHashMap<>(account);
        extra.put("enabled", "maybe");
        out.add(MalformedRequest.post("account with enabled = 'maybe'", ACCOUNTS, extra));
        out.add(MalformedRequest.json("account with broken JSON", "POST", ACCOUNTS, "{\"cloud\":\"aws\","));
    }

    /** Two or three defects at once, drawn at random from single-field ones. */
    private void combined() {
        int defects = 2 + random.nextInt(2);
        StringBuilder name = new StringBuilder("combined:");
        Map<String, Object> b = validPurchase();
        for (int i = 0; i < defects; i++) {
            String field = List.of("type", "account", "region", "offering", "quantity", "term", "payment")
                    .get(random.nextInt(7));
            Object value = switch (random.nextInt(6)) {
                case 0 -> null;
                case 1 -> WRONG_TYPES.get(random.nextInt(WRONG_TYPES.size()));
                case 2 -> new JsonText.Raw(String.valueOf(-1 - random.nextInt(1_000_000)));
                case 3 -> "z".repeat(300 + random.nextInt(5_000));
                case 4 -> UUID.randomUUID().toString();
                default -> "unknown-" + Integer.toHexString(random.nextInt());
            };
            if ((field.equals("region") || field.equals("offering")) && value instanceof String s && s.length() < 300) {
                value = "bad value " + s; // a space: a region or offering pattern refuses it
            }
            if (sameJsonType(validItem().get(field), value) && !(value instanceof String)
                    && !(value instanceof JsonText.Raw)) {
                value = null;
            }
            item(b).put(field, value);
            name.append(' ').append(field).append('=').append(abbreviate(String.valueOf(value)));
        }
        out.add(MalformedRequest.post(name.toString(), PURCHASES, b));
    }

    /** Whether a JSON reader takes the text as one JSON value (then it is not broken JSON). */
    static boolean parses(String text) {
        try {
            tools.jackson.databind.json.JsonMapper.builder()
                    .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build()
                    .readTree(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void purchase(String name, Consumer<Map<String, Object>> defect) {
        Map<String, Object> body = validPurchase();
        defect.accept(body);
        out.add(MalformedRequest.post(name, PURCHASES, body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(Map<String, Object> body) {
        return (Map<String, Object>) ((List<Object>) body.get("items")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static boolean sameJsonType(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            return true;
        }
        if (a instanceof Map<?, ?> && b instanceof Map<?, ?>) {
            return true;
        }
        if (a instanceof List<?> && b instanceof List<?>) {
            return true;
        }
        return a.getClass() == b.getClass();
    }

    private static String printable(char c) {
        return c == 0 ? "\\0" : String.valueOf(c);
    }

    private static String printable(String s) {
        String p = s.replace("\u0000", "\\0").replace("\uFEFF", "<BOM>");
        return abbreviate(p);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...(" + s.length() + " chars)";
    }
}
