import Hummingbird
import Capture

/// An error the API answers with: an HTTP status and one line naming the problem, sent as
/// `{"success": false, "error": "...", "status": 400}` (the liveness API's clients read `success`).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// Headers the answer carries besides its content type (a 401's `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    var json: String {
        "{\"success\":false,\"error\":\(JSONString.quoted(message)),\"status\":\(status.code)}"
    }

    var response: Response {
        var response = JSONResponse.make(json, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON bodies with their content type.
enum JSONResponse {
    static func make(_ json: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }
}

/// Every error becomes a JSON answer: the API's own with its status, Hummingbird's (no such route, a body
/// too large) with theirs and a plain sentence, anything else a 500 that names no internals. Nothing
/// thrown while handling a request reaches the server as an error.
struct APIErrorsMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: AccessLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as HTTPResponseError {
            return APIError(error.status, Self.sentence(error.status, request)).response
        } catch {
            log.write("gazetop serve: unexpected error on \(request.method.rawValue) \(AccessLog.escaped(request.uri.path)): \(error)")
            return APIError(.internalServerError, "internal error").response
        }
    }

    static func sentence(_ status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "no such endpoint: \(request.method.rawValue) \(request.uri.path)"
        case .methodNotAllowed: "\(request.method.rawValue) is not allowed on \(request.uri.path)"
        case .contentTooLarge: "the request body is too large"
        default: status.reasonPhrase
        }
    }
}
