/// `GET /docs`: the OpenAPI document drawn as one HTML page a person reads, from the document itself (the
/// `JSONValue` `/openapi.json` serves), so the two cannot disagree. Plain HTML and a little CSS: no script,
/// nothing fetched from elsewhere.
enum APIDocsPage {
    static func html(_ document: JSONValue) -> String {
        let info = document["info"]
        let title = info?["title"]?.string ?? "API"
        var out = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escaped(title))</title>
            <style>
            body { font: 15px/1.5 system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
            code { font: 13px ui-monospace, monospace; background: #f2f2f2; padding: 0 .2em; }
            table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
            th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #ddd; padding: .25em .5em; }
            .method { font-weight: bold; text-transform: uppercase; }
            section { border-top: 2px solid #888; margin-top: 2em; }
            </style></head><body>

            """
        out += "<h1>\(escaped(title)) <small>\(escaped(info?["version"]?.string ?? ""))</small></h1>\n"
        out += prose(info?["description"]?.string)
        out += "<p>The same document as JSON: <a href=\"openapi.json\"><code>/openapi.json</code></a> (OpenAPI "
            + "\(escaped(document["openapi"]?.string ?? "")))</p>\n"
        let operations = (document["paths"]?.members ?? []).flatMap { path, item in item.members.map { (path, $0.0, $0.1) } }
        out += "<h2>Endpoints</h2>\n<ul>\n"
        for (path, method, operation) in operations {
            out += "<li><a href=\"#\(anchor(method, path))\"><span class=\"method\">\(escaped(method))</span> <code>\(escaped(path))</code></a>: "
                + "\(escaped(operation["summary"]?.string ?? ""))</li>\n"
        }
        out += "</ul>\n"
        for (path, method, operation) in operations {
            out += self.operation(path: path, method: method, operation)
        }
        out += "<section><h2>Bodies</h2>\n"
        for (name, schema) in document["components"]?["schemas"]?.members ?? [] {
            out += "<h3 id=\"schema-\(escaped(name))\"><code>\(escaped(name))</code></h3>\n"
            out += prose(schema["description"]?.string) + fields(schema)
        }
        out += "</section>\n</body></html>\n"
        return out
    }

    private static func operation(path: String, method: String, _ operation: JSONValue) -> String {
        var out = "<section id=\"\(anchor(method, path))\"><h2><span class=\"method\">\(escaped(method))</span> <code>\(escaped(path))</code></h2>\n"
        out += "<p><b>\(escaped(operation["summary"]?.string ?? ""))</b></p>\n" + prose(operation["description"]?.string)
        if let security = operation["security"]?.array, security.isEmpty {
            out += "<p>Open: no token needed.</p>\n"
        }
        if let body = operation["requestBody"] {
            for (type, media) in body["content"]?.members ?? [] {
                var required = false
                if case .bool(true)? = body["required"] { required = true }
                out += "<h3>Request body (<code>\(escaped(type))</code>, \(required ? "required" : "optional"))</h3>\n"
                out += prose(body["description"]?.string)
                if let schema = media["schema"] { out += "<p>\(typeName(schema))</p>\n" }
            }
        }
        if let messages = operation["x-websocket"] {
            out += "<h3>WebSocket messages</h3>\n<table><tr><th>from</th><th>body</th></tr>\n"
            for (side, schema) in messages.members {
                out += "<tr><td>\(escaped(side))</td><td>\(typeName(schema))</td></tr>\n"
            }
            out += "</table>\n"
        }
        out += "<h3>Answers</h3>\n<table><tr><th>status</th><th>when</th><th>body</th></tr>\n"
        for (status, answer) in operation["responses"]?.members ?? [] {
            let bodies = (answer["content"]?.members ?? []).map { type, media in
                "<code>\(escaped(type))</code> " + (media["schema"].map(typeName) ?? "")
            }
            out += "<tr><td>\(escaped(status))</td><td>\(inline(answer["description"]?.string ?? ""))</td>"
                + "<td>\(bodies.joined(separator: "<br>"))</td></tr>\n"
        }
        return out + "</table></section>\n"
    }

    /// A table of an object's fields, nested objects' fields under dotted names (`models.landmarks`) and
    /// array items' under `[]` (`calibration[].cell`).
    private static func fields(_ schema: JSONValue) -> String {
        let rows = fieldRows(schema, prefix: "")
        guard !rows.isEmpty else { return "" }
        return "<table><tr><th>field</th><th>type</th><th></th><th>meaning</th></tr>\n" + rows.joined() + "</table>\n"
    }

    private static func fieldRows(_ schema: JSONValue, prefix: String) -> [String] {
        let required = Set((schema["required"]?.array ?? []).compactMap(\.string))
        return (schema["properties"]?.members ?? []).flatMap { name, field -> [String] in
            let row = "<tr><td><code>\(escaped(prefix + name))</code></td><td>\(typeName(field))</td>"
                + "<td>\(required.contains(name) ? "required" : "optional")</td><td>\(inline(field["description"]?.string ?? ""))"
                + "\(constraints(field))</td></tr>\n"
            // The fields of an inline object (or an array of them, or one that may be null) follow their parent.
            let inner = [field, field["items"]].compactMap { $0 }.first { $0["properties"] != nil }
                ?? field["anyOf"]?.array?.first { $0["properties"] != nil }
            return [row] + (inner.map { fieldRows($0, prefix: prefix + name + (field["items"] != nil ? "[]." : ".")) } ?? [])
        }
    }

    /// How a schema reads: a link for a named body, "array of ...", "a or b", "null" added.
    static func typeName(_ schema: JSONValue) -> String {
        if let ref = schema["$ref"]?.string {
            let name = String(ref.split(separator: "/").last ?? "")
            return "<a href=\"#schema-\(escaped(name))\"><code>\(escaped(name))</code></a>"
        }
        if let options = schema["anyOf"]?.array ?? schema["oneOf"]?.array {
            return options.map(typeName).joined(separator: " or ")
        }
        if let values = schema["enum"]?.array {
            return values.map { "<code>\(escaped($0.text()))</code>" }.joined(separator: " | ")
        }
        let types: [String] = schema["type"]?.array?.compactMap(\.string) ?? [schema["type"]?.string].compactMap { $0 }
        return types.map { type in
            switch type {
            case "array": "array of " + (schema["items"].map(typeName) ?? "anything")
            case "string" where schema["format"]?.string == "binary": "file (bytes)"
            default: escaped(type)
            }
        }.joined(separator: " or ")
    }

    private static func constraints(_ schema: JSONValue) -> String {
        var said: [String] = []
        if let value = schema["const"] { said.append("always \(value.text())") }
        if let minimum = schema["minimum"], let maximum = schema["maximum"] {
            said.append("\(minimum.text()) to \(maximum.text())")
        } else if let minimum = schema["minimum"] {
            said.append("at least \(minimum.text())")
        }
        if let pattern = schema["pattern"]?.string { said.append("matches <code>\(escaped(pattern))</code>") }
        return said.isEmpty ? "" : " <i>(\(said.joined(separator: "; ")))</i>"
    }

    /// Paragraphs (split at blank lines) with `code` spans.
    private static func prose(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        return text.components(separatedBy: "\n\n").map { "<p>\(inline($0))</p>\n" }.joined()
    }

    /// Escaped text whose backquoted spans become `<code>`.
    static func inline(_ text: String) -> String {
        escaped(text).split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    private static func anchor(_ method: String, _ path: String) -> String {
        escaped(method + "-" + path.filter { $0.isLetter || $0.isNumber || $0 == "-" })
    }
}
