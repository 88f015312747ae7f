import Foundation

/// A JSON value as the tests read it: booleans and numbers kept apart (JSONDecoder will not read `1` as a
/// Bool, nor `true` as a number), objects as dictionaries.
indirect enum JSON: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(from decoder: Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let b = try? value.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? value.decode(Double.self) {
            self = .number(n)
        } else if let s = try? value.decode(String.self) {
            self = .string(s)
        } else if let a = try? value.decode([JSON].self) {
            self = .array(a)
        } else {
            self = .object(try value.decode([String: JSON].self))
        }
    }

    static func parse(_ bytes: [UInt8]) throws -> JSON { try JSONDecoder().decode(JSON.self, from: Data(bytes)) }
    static func parse(_ text: String) throws -> JSON { try parse(Array(text.utf8)) }

    subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var array: [JSON]? { if case .array(let a) = self { a } else { nil } }
    var object: [String: JSON]? { if case .object(let o) = self { o } else { nil } }
    var number: Double? { if case .number(let n) = self { n } else { nil } }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): "\(n)"
        case .string(let s): "\"\(s.prefix(60))\""
        case .array(let a): "[\(a.count) items]"
        case .object(let o): "{\(o.keys.sorted().joined(separator: ", "))}"
        }
    }

    /// The JSON type names (JSON Schema's) this value has: an integral number is an integer and a number.
    var typeNames: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .number(let n): n == n.rounded() ? ["number", "integer"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }
}

/// Checks a JSON value against a schema of an OpenAPI 3.1 document (JSON Schema 2020-12), for the keywords
/// the server's document uses. A keyword it does not know is a problem too, so no constraint of the document
/// goes unchecked without a word.
struct SchemaCheck {
    let document: JSON

    /// Keywords that describe and constrain nothing a value can break here.
    static let annotations: Set<String> = ["description", "format", "title", "contentMediaType"]
    static let understood: Set<String> = ["$ref", "type", "enum", "const", "properties", "required", "items",
                                          "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern", "anyOf", "oneOf"]

    /// Everything wrong with `value` against `schema`, each naming where (`$.sequence_results[0].area`).
    func problems(_ value: JSON, _ schema: JSON, at path: String = "$") -> [String] {
        guard let keywords = schema.object else { return ["\(path): the schema is not an object"] }
        var found: [String] = []
        for key in keywords.keys where !Self.annotations.contains(key) && !Self.understood.contains(key) {
            found.append("\(path): the checker does not know the keyword \(key)")
        }
        if let ref = keywords["$ref"]?.string {
            guard let target = resolve(ref) else { return found + ["\(path): no schema at \(ref)"] }
            found += problems(value, target, at: path)
        }
        if let type = keywords["type"] {
            let allowed = Set(type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 })
            if allowed.isDisjoint(with: value.typeNames) {
                return found + ["\(path): \(value) is not \(allowed.sorted().joined(separator: " or "))"]
            }
        }
        if let options = keywords["enum"]?.array, !options.contains(value) {
            found.append("\(path): \(value) is none of \(options)")
        }
        if let constant = keywords["const"], constant != value {
            found.append("\(path): \(value) is not \(constant)")
        }
        if let n = value.number {
            if let minimum = keywords["minimum"]?.number, n < minimum { found.append("\(path): \(n) is below \(minimum)") }
            if let maximum = keywords["maximum"]?.number, n > maximum { found.append("\(path): \(n) is above \(maximum)") }
            if let bound = keywords["exclusiveMinimum"]?.number, n <= bound { found.append("\(path): \(n) is not above \(bound)") }
            if let bound = keywords["exclusiveMaximum"]?.number, n >= bound { found.append("\(path): \(n) is not below \(bound)") }
        }
        if let s = value.string, let pattern = keywords["pattern"]?.string, s.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): \(value) does not match \(pattern)")
        }
        if let items = value.array {
            if let minItems = keywords["minItems"]?.number, Double(items.count) < minItems {
                found.append("\(path): \(items.count) items, fewer than \(Int(minItems))")
            }
            if let maxItems = keywords["maxItems"]?.number, Double(items.count) > maxItems {
                found.append("\(path): \(items.count) items, more than \(Int(maxItems))")
            }
            if let itemSchema = keywords["items"] {
                for (i, item) in items.enumerated() { found += problems(item, itemSchema, at: "\(path)[\(i)]") }
            }
        }
        if let members = value.object {
            for name in keywords["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                found.append("\(path): no \(name)")
            }
            for (name, fieldSchema) in keywords["properties"]?.object ?? [:] {
                if let member = members[name] { found += problems(member, fieldSchema, at: "\(path).\(name)") }
            }
        }
        if let options = keywords["anyOf"]?.array, !options.contains(where: { problems(value, $0, at: path).isEmpty }) {
            found.append("\(path): \(value) matches none of anyOf: " + options.flatMap { problems(value, $0, at: path) }.joined(separator: "; "))
        }
        if let options = keywords["oneOf"]?.array {
            let matching = options.filter { problems(value, $0, at: path).isEmpty }.count
            if matching != 1 { found.append("\(path): \(value) matches \(matching) of oneOf, not exactly one") }
        }
        return found
    }

    /// `#/components/schemas/Name`.
    func resolve(_ ref: String) -> JSON? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: JSON? = document
        for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    /// A named schema of `components.schemas`.
    func schema(_ name: String) -> JSON { .object(["$ref": .string("#/components/schemas/" + name)]) }

    /// The documented answer of `method path` with `status`: its content type and schema (nil if undocumented).
    func answer(_ method: String, _ path: String, status: Int) -> (contentType: String, schema: JSON)? {
        guard let content = document["paths"]?[path]?[method.lowercased()]?["responses"]?[String(status)]?["content"]?.object,
              let media = content.first, let schema = media.value["schema"] else { return nil }
        return (media.key, schema)
    }

    /// Every documented operation, as ("GET", "/health").
    var operations: [(method: String, path: String)] {
        (document["paths"]?.object ?? [:]).flatMap { path, item in
            (item.object ?? [:]).keys.map { (method: $0.uppercased(), path: path) }
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }
}
