import Hummingbird
import NIOCore

/// The web page at `/`: the live view and the liveness challenge, plain HTML, CSS and JavaScript (no build
/// step, nothing fetched from elsewhere) in `Sources/Server/Web`.
///
/// The files are embedded in the binary at build time (SwiftPM's `embedInCode` rule, `PackageResources`),
/// so the one installed `gazetop` serves them with nothing beside it, while they stay ordinary `.html`,
/// `.css` and `.js` files in the repository that an editor, a linter and a diff read as what they are
/// (Swift string literals would hide them inside Swift). A resource bundle (`.copy`) would have to be
/// installed beside the binary and found at run time.
enum WebPage {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    /// Served paths and their files; the page asks for them by these names.
    static let files: [String: File] = [
        "/": File(bytes: PackageResources.index_html, contentType: "text/html; charset=utf-8"),
        "/web/style.css": File(bytes: PackageResources.style_css, contentType: "text/css; charset=utf-8"),
        "/web/page.js": File(bytes: PackageResources.page_js, contentType: "text/javascript; charset=utf-8"),
        "/web/camera.js": File(bytes: PackageResources.camera_js, contentType: "text/javascript; charset=utf-8"),
        "/web/token.js": File(bytes: PackageResources.token_js, contentType: "text/javascript; charset=utf-8"),
        "/web/live.js": File(bytes: PackageResources.live_js, contentType: "text/javascript; charset=utf-8"),
        "/web/challenge.js": File(bytes: PackageResources.challenge_js, contentType: "text/javascript; charset=utf-8"),
    ]

    /// The page loads only its own files and talks only to this server (its API and `/ws`): an injected
    /// script or a stray link to elsewhere is refused by the browser. `blob:` and `mediastream:` are the
    /// camera's preview and recording.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
        + "connect-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

    static func add(to router: Router<ServeContext>) {
        for (path, file) in files {
            router.get(RouterPath(path)) { _, _ in response(file) }
            // HEAD as GET (its body is not sent): link checkers and `curl -I` ask so.
            router.head(RouterPath(path)) { _, _ in response(file) }
        }
    }

    static func response(_ file: File) -> Response {
        Response(status: .ok, headers: [
            .contentType: file.contentType,
            // Small files from the binary: a browser asks again each time, so a new gazetop's page is never
            // mixed with an old one's script.
            .cacheControl: "no-cache",
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
        ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
