import Capture
import Foundation
import GazeCore
import Hummingbird
import Monitor
import NIOCore
import Vision

/// `POST /match`, the original liveness API's face match: `{"image1": ..., "image2": ..., "threshold": ...}`,
/// each image a data URL or bare base64 of a JPEG or PNG (or, with `serve --allow-fetch`, an http(s) URL
/// of a public address). Answers what `gazetop match --json` prints (`MatchEncoding`) with `success`
/// first. Parsing, decoding, detection and the descriptors run on a vision worker, one turn per image, so
/// the worker's sockets wait for one image at most; a fetch waits on the network, on no worker.
struct MatchAPI: Sendable {
    let settings: MatchSettings
    let pool: VisionPool
    /// Nil without `--allow-fetch`.
    let fetcher: PictureFetcher?

    static let fields = ["image1", "image2"]

    func add(to router: Router<ServeContext>) {
        router.post("/match") { request, _ in try await self.match(request) }
    }

    /// The largest body read: two pictures as base64 (4/3 of their bytes) and a little JSON around them.
    var maxBodyBytes: Int { 2 * (settings.maxImageBytes / 3 * 4 + 4) + 64 * 1024 }

    /// What a request asks for, its images still as sent.
    struct Asked: Equatable {
        var images: [String]
        var threshold: Double
    }

    /// One image as sent: its bytes, or a URL to fetch.
    enum Image: Equatable {
        case bytes([UInt8])
        case url(String)
    }

    func match(_ request: Request) async throws -> Response {
        guard pool.matching == .loaded else { throw Self.modelsMissing }
        let body = try await LivenessAPI.collect(request, upTo: maxBodyBytes, what: "the request body")
        let worker = pool.assign()
        defer { pool.release(worker) }
        let settings = self.settings
        let (threshold, images) = try await LivenessAPI.onWorker(worker) { Result { () throws(APIError) in
            let request = try Self.parse(body, defaultThreshold: settings.threshold)
            let images = try zip(Self.fields, request.images).map { (field, text) throws(APIError) in
                try Self.image(text, field: field, settings: settings)
            }
            return (request.threshold, images)
        } }.get()
        // Every image's bytes first (a URL refused is the request's fault, said before any vision work).
        var pictures: [[UInt8]] = []
        for (field, image) in zip(Self.fields, images) { pictures.append(try await bytes(of: image, field: field)) }
        var samples: [FaceSample] = []
        for (field, bytes) in zip(Self.fields, pictures) {
            let sample = try await LivenessAPI.onWorker(worker) { () -> Result<FaceSample, APIError> in
                Self.sample(bytes, field: field, worker: worker, settings: settings)
            }.get()
            samples.append(sample)
        }
        let result = FaceMatch(samples[0].descriptor, samples[1].descriptor, threshold: threshold)
        return JSONResponse.make(MatchEncoding.json(result, samples, leading: "\"success\":true,"))
    }

    static var modelsMissing: APIError {
        APIError(.serviceUnavailable, "face matching is off on this server: its models "
            + "(\(FaceEncoder.networkFile), \(FaceEncoder.alignmentFile)) were not found; fetch them with "
            + "\(FaceEncoder.fetchCommand) and restart gazetop serve")
    }

    // MARK: Parsing (on the worker)

    private struct Fields: Decodable {
        var image1: String?
        var image2: String?
        var threshold: Double?
    }

    /// The request's images (both required, strings) and threshold (optional, between 0 and 2).
    static func parse(_ body: ByteBuffer, defaultThreshold: Double) throws(APIError) -> Asked {
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: Data(body.readableBytesView))
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            let field = context.codingPath[0].stringValue
            throw APIError(.badRequest, field == "threshold" ? "threshold must be a number between 0 and 2"
                : "\(field) must be a string: a data URL (data:image/jpeg;base64,...) or base64")
        } catch {
            throw APIError(.badRequest, "the body is not a JSON object; send {\"image1\": \"data:image/jpeg;base64,...\", \"image2\": \"...\"}")
        }
        guard let image1 = fields.image1 else { throw APIError(.badRequest, "the body has no image1") }
        guard let image2 = fields.image2 else { throw APIError(.badRequest, "the body has no image2") }
        let threshold = fields.threshold ?? defaultThreshold
        guard threshold > 0 && threshold < 2 else { throw APIError(.badRequest, "threshold must be a number between 0 and 2") }
        return Asked(images: [image1, image2], threshold: threshold)
    }

    /// One image's text as bytes, or as a URL when fetching is allowed.
    static func image(_ text: String, field: String, settings: MatchSettings) throws(APIError) -> Image {
        if PictureFetcher.looksLikeURL(text) {
            guard settings.allowFetch else {
                throw APIError(.badRequest, "\(field) is a URL, and this server fetches none (gazetop serve --allow-fetch); "
                    + "send the picture as a data URL (data:image/jpeg;base64,...)")
            }
            return .url(text)
        }
        let bytes: [UInt8]
        do throws(PictureText.Problem) { bytes = try PictureText.bytes(text, what: field) } catch {
            throw APIError(.badRequest, error.description)
        }
        guard bytes.count <= settings.maxImageBytes else { throw tooLarge(field, settings) }
        return .bytes(bytes)
    }

    static func tooLarge(_ field: String, _ settings: MatchSettings) -> APIError {
        APIError(.contentTooLarge, "\(field) is larger than \(settings.maxImageBytes / (1024 * 1024)) MB")
    }

    /// The image's bytes: as sent, or fetched (off the workers).
    private func bytes(of image: Image, field: String) async throws(APIError) -> [UInt8] {
        switch image {
        case .bytes(let bytes): return bytes
        case .url(let url):
            guard let fetcher else { throw APIError(.badRequest, "\(field) is a URL, and this server fetches none") }
            do {
                return try await fetcher.fetch(url)
            } catch {
                throw APIError(error.refused ? .badRequest : .unprocessableContent, "\(field): \(error.description)")
            }
        }
    }

    // MARK: The faces (on the worker)

    /// The one clear face of an image and its descriptor, or why there is none, naming the field.
    static func sample(_ bytes: [UInt8], field: String, worker: VisionWorker, settings: MatchSettings) -> Result<FaceSample, APIError> {
        dispatchPrecondition(condition: .onQueue(worker.queue))
        guard let reader = worker.faces else { return .failure(modelsMissing) }
        let picture: ColourPicture
        do throws(PictureDecoding.Problem) {
            picture = try ColourPicture.decode(bytes, maxSide: settings.maxImageSide, maxPixels: settings.maxImagePixels)
        } catch {
            return .failure(APIError(.unprocessableContent, "\(field): \(error.description)"))
        }
        do throws(FaceInputError) {
            return .success(try reader.read(picture, name: field))
        } catch {
            return .failure(APIError(.unprocessableContent, error.description))
        }
    }
}
