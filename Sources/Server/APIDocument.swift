/// The OpenAPI 3.1 document of `gazetop serve` (`GET /openapi.json`, drawn by `GET /docs`): the endpoints
/// and bodies written by hand in `APIEndpoints.swift`, put together here with what depends on the server's
/// settings (the limits it states, the bearer token when one is required).
///
/// It is built once per server from its settings, so it says what this server does: with `--token`, every
/// endpoint but the open ones names the token and its 401 answer.
public struct APIDocument: Sendable {
    public let endpoints: [Endpoint]
    /// `components.schemas`, by name: the bodies that endpoints refer to with `Schema.ref`.
    public let schemas: [(String, JSONValue)]
    public let requiresToken: Bool
    public let json: JSONValue
    /// `json` as text, what `/openapi.json` serves.
    public let text: String

    public init(settings: ServeSettings) {
        endpoints = Self.endpoints(settings)
        schemas = Self.schemas(settings)
        requiresToken = settings.token != nil
        json = Self.assemble(endpoints: endpoints, schemas: schemas, settings: settings)
        text = json.text() + "\n"
    }

    /// The paths served without the token even when one is required.
    public var openPaths: Set<String> { Set(endpoints.filter(\.open).map(\.path)) }

    private static func assemble(endpoints: [Endpoint], schemas: [(String, JSONValue)], settings: ServeSettings) -> JSONValue {
        let secured = settings.token != nil
        var paths: [(String, JSONValue)] = []
        for path in endpoints.map(\.path).uniqued() {
            let operations = endpoints.filter { $0.path == path }.map { ($0.method.rawValue, $0.operation(secured: secured)) }
            paths.append((path, .object(operations)))
        }
        var components: [(String, JSONValue)] = [("schemas", .object(schemas))]
        var document: [(String, JSONValue)] = [
            ("openapi", "3.1.0"),
            ("info", ["title": "gazetop serve", "version": .string(settings.version), "description": .string(summary(secured: secured))]),
            ("paths", .object(paths)),
        ]
        if secured {
            components.append(("securitySchemes", [
                "bearer": ["type": "http", "scheme": "bearer",
                           "description": "The token given to `gazetop serve --token` (or `$GAZETOP_TOKEN`), as `Authorization: Bearer TOKEN`."],
                "access_token": ["type": "apiKey", "in": "query", "name": "access_token",
                                 "description": "The same token as the query parameter `access_token` (RFC 6750, section 2.3), for clients that cannot set a header: a browser's WebSocket, a link to /docs."],
            ]))
            // Either scheme will do.
            document.append(("security", [["bearer": []], ["access_token": []]]))
        }
        document.append(("components", .object(components)))
        return .object(document)
    }

    private static func summary(secured: Bool) -> String {
        var text = "gazetop's eye tracking and gaze liveness challenge over HTTP: the eye-tracking WebSocket (`/ws`), "
            + "the liveness API (`/initiate-liveness`, `/submit-liveness`), face matching (`/match`), the web page (`/`) "
            + "and the health check. Every error is a JSON "
            + "object, `APIError`: `{\"success\": false, \"error\": \"...\", \"status\": 400}`."
        if secured {
            text += "\n\nThis server requires its bearer token on every endpoint but `/health` (which load balancers "
                + "probe without credentials) and the web page's files (open the page as `/?access_token=TOKEN`): `Authorization: Bearer TOKEN`, or `?access_token=TOKEN` where a header "
                + "cannot be set (a browser's WebSocket). A missing or wrong token is answered 401 with "
                + "`WWW-Authenticate: Bearer`."
        }
        return text
    }
}

/// One operation of the document: a method on a path, what it takes and every answer it gives.
public struct Endpoint: Sendable {
    public enum Method: String, Sendable {
        case get, head, post
    }

    /// A request body of one content type.
    public struct Body: Sendable {
        var contentType: String
        var schema: JSONValue
        var required: Bool
        var description: String
        /// OpenAPI's per-field `encoding` of a multipart body, if any.
        var encoding: JSONValue?
    }

    /// An answer: its status, when it is given, and its body.
    public struct Answer: Sendable {
        var status: Int
        var description: String
        var contentType = "application/json"
        var schema: JSONValue
        /// OpenAPI links: how a value of this answer feeds another operation (a fuzzer follows them).
        var links: JSONValue?

        /// An error answer: `APIError`, with its status.
        static func error(_ status: Int, _ description: String) -> Answer {
            Answer(status: status, description: description, schema: Schema.ref("APIError"))
        }
    }

    public var method: Method
    public var path: String
    var id: String
    var summary: String
    var description: String
    var body: Body?
    var answers: [Answer]
    /// Served without the token even when one is required (see `BearerTokenMiddleware`).
    var open = false
    /// Extensions (`x-...`) that tools pass over: the WebSocket's messages.
    var extensions: [(String, JSONValue)] = []

    /// The 401 every secured endpoint may answer.
    static let unauthorized = Answer.error(401, "No bearer token, or a wrong one (the answer carries `WWW-Authenticate: Bearer`).")

    func operation(secured: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("operationId", .string(id)), ("summary", .string(summary)), ("description", .string(description)),
        ]
        if let body {
            var media: [(String, JSONValue)] = [("schema", body.schema)]
            if let encoding = body.encoding { media.append(("encoding", encoding)) }
            members.append(("requestBody", ["description": .string(body.description), "required": .bool(body.required),
                                            "content": .object([(body.contentType, .object(media))])] as JSONValue))
        }
        var all = answers
        if secured && !open { all.append(Self.unauthorized) }
        let responses = all.sorted { $0.status < $1.status }.map { answer -> (String, JSONValue) in
            var members: [(String, JSONValue)] = [("description", .string(answer.description)),
                                                  ("content", .object([(answer.contentType, ["schema": answer.schema] as JSONValue)]))]
            if let links = answer.links { members.append(("links", links)) }
            return (String(answer.status), .object(members))
        }
        members.append(("responses", .object(responses)))
        if secured && open { members.append(("security", [])) }
        return .object(members + extensions)
    }
}

/// JSON Schema (2020-12, OpenAPI 3.1's) in the few shapes the document needs, each with its description.
enum Schema {
    /// A member of an object.
    struct Field {
        var name: String
        var schema: JSONValue
        var required: Bool

        static func required(_ name: String, _ schema: JSONValue) -> Field { Field(name: name, schema: schema, required: true) }
        static func optional(_ name: String, _ schema: JSONValue) -> Field { Field(name: name, schema: schema, required: false) }
    }

    static func object(_ description: String, _ fields: [Field]) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object"), ("description", .string(description))]
        members.append(("properties", .object(fields.map { ($0.name, $0.schema) })))
        let required = fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        return .object(members)
    }

    static func string(_ description: String, oneOf values: [String]? = nil, pattern: String? = nil,
                       format: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "string"), ("description", .string(description))]
        if let values { members.append(("enum", .array(values.map { .string($0) }))) }
        if let pattern { members.append(("pattern", .string(pattern))) }
        if let format { members.append(("format", .string(format))) }
        return .object(members)
    }

    static func number(_ description: String, minimum: Double? = nil, maximum: Double? = nil) -> JSONValue {
        bounded("number", description, minimum, maximum)
    }

    /// A number strictly between two bounds.
    static func number(_ description: String, exclusiveMinimum: Double, exclusiveMaximum: Double) -> JSONValue {
        ["type": "number", "description": .string(description), "exclusiveMinimum": .number(exclusiveMinimum),
         "exclusiveMaximum": .number(exclusiveMaximum)]
    }

    static func integer(_ description: String, minimum: Double? = nil, maximum: Double? = nil) -> JSONValue {
        bounded("integer", description, minimum, maximum)
    }

    static func boolean(_ description: String, always value: Bool? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "boolean"), ("description", .string(description))]
        if let value { members.append(("const", .bool(value))) }
        return .object(members)
    }

    static func array(_ description: String, of items: JSONValue, minItems: Int? = nil, maxItems: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "array"), ("description", .string(description)), ("items", items)]
        if let minItems { members.append(("minItems", .number(Double(minItems)))) }
        if let maxItems { members.append(("maxItems", .number(Double(maxItems)))) }
        return .object(members)
    }

    /// A schema of `components.schemas`.
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/" + name)] }

    /// `schema`, or null: a type list gains "null"; a reference becomes one of the two.
    static func orNull(_ schema: JSONValue) -> JSONValue {
        guard case .object(var members) = schema, let index = members.firstIndex(where: { $0.0 == "type" }),
              case .string(let type) = members[index].1 else {
            return ["anyOf": [schema, ["type": "null"]]]
        }
        members[index].1 = [.string(type), "null"]
        return .object(members)
    }

    private static func bounded(_ type: String, _ description: String, _ minimum: Double?, _ maximum: Double?) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(type)), ("description", .string(description))]
        if let minimum { members.append(("minimum", .number(minimum))) }
        if let maximum { members.append(("maximum", .number(maximum))) }
        return .object(members)
    }
}

private extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
