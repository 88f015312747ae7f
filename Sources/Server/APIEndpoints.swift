import Monitor

/// Every endpoint of `gazetop serve` and every body it takes or answers, written by hand: the one place the
/// API is described. A new endpoint is one more `Endpoint` in `endpoints` (and its bodies in `schemas`);
/// `APIDocumentTests` fails while a route the router serves is missing here, or a documented one does not
/// answer, or an answer does not have the documented shape.
extension APIDocument {
    static func endpoints(_ s: ServeSettings) -> [Endpoint] {
        let maxUpload = megabytes(s.liveness.maxUploadBytes)
        let durations = s.liveness.areaDurationRange
        return [
            Endpoint(
                method: .get, path: "/health", id: "health", summary: "Status, version and the models loaded",
                description: "Always open, even when the server requires a token: load balancers probe it without credentials. "
                    + "It tells nothing beyond the version and counts.",
                answers: [Endpoint.Answer(status: 200, description: "The server is up.", schema: Schema.ref("Health"))],
                open: true),
            Endpoint(
                method: .get, path: "/ws", id: "eyeTracking",
                summary: "The eye-tracking WebSocket (a GET that upgrades)",
                description: """
                    Connect with a WebSocket client (`Upgrade: websocket`); a plain GET is answered with a JSON error. \
                    Each connection is a session of its own (face tracker, blink detector, rolling window).

                    Client to server, one text message per frame: `EyeFrameMessage`, \
                    `{"type": "frame", "data": "data:image/jpeg;base64,..."}` (JPEG or PNG; the bare base64, with or \
                    without the `data:` prefix, will do), with an optional `time` (the frame's stream time in ms). \
                    A message of another `type` gets no answer.

                    Server to client, one text message per frame served: `EyeRecord` (`t` epoch milliseconds, \
                    `eyeContactPct` a fraction 0..1, then gazetop's record fields, `streamMs` and `dropped`). A frame \
                    that arrives while the previous one still waits replaces it (counted in `dropped`). A message that \
                    gives no frame (not JSON, no `data`, not base64, not a decodable JPEG or PNG) gets `EyeError`, and \
                    the connection stays open. A binary message gets `EyeError` too.

                    Closes: 1009 (message too big) for a message over \(megabytes(s.maxImageBytes)) of picture as \
                    base64; 1013 (try again later) at once for a connection past the cap \
                    (\(s.maxConnections) at once); 1000 when the server stops. Pictures above \
                    \(s.eye.maxImageSide) px on a side are scaled down first.
                    """ + (s.token == nil ? "" : "\n\nWithout the bearer token (a browser's WebSocket sends it as "
                        + "`?access_token=TOKEN`), a connection is taken and closed at once with 1008 (policy violation) "
                        + "and the reason, which a page can read; a plain GET is answered 401."),
                answers: [
                    .error(426, "A plain GET, without the WebSocket upgrade."),
                    .error(503, "A plain GET while \(s.maxConnections) WebSocket connections are open."),
                ],
                extensions: [("x-websocket", [
                    "client": Schema.ref("EyeFrameMessage"),
                    "server": ["oneOf": [Schema.ref("EyeRecord"), Schema.ref("EyeError")]],
                ])]),
            Endpoint(
                method: .post, path: "/initiate-liveness", id: "initiateLiveness",
                summary: "Draw a liveness session: a random sequence of cells and the schedule a page shows",
                description: "The session is valid for \(RecordEncoding.num(s.liveness.sessionTTLSeconds, 1)) s "
                    + "(`--session-ttl`) and is submitted once. An empty body keeps the default `area_duration`.",
                body: Endpoint.Body(contentType: "application/json", schema: Schema.ref("InitiateLivenessRequest"), required: false,
                                    description: "Optional; an empty body will do."),
                answers: [
                    Endpoint.Answer(status: 200, description: "A new session.", schema: Schema.ref("InitiateLivenessResponse"),
                                    links: ["submitTheRecording": [
                                        "operationId": "submitLiveness",
                                        "description": "The session's recording is submitted with its `session_id`.",
                                        "requestBody": ["session_id": "$response.body#/session_id"],
                                    ]]),
                    .error(400, "The body is not a JSON object, `area_duration` is not a number from "
                        + "\(RecordEncoding.num(durations.lowerBound, 1)) to \(RecordEncoding.num(durations.upperBound, 1)), "
                        + "or `enrolled` is not a name an enrolment could have."),
                    .error(413, "The body is over \(LivenessAPI.maxInitiateBytes / 1024) KB."),
                    .error(422, "No one is enrolled under the name `enrolled` (`gazetop enroll NAME PHOTO...` on the server)."),
                    .error(500, "The server's enrolment store cannot be read (said in its log)."),
                    .error(503, "Too many sessions open at once (\(s.liveness.maxSessions)), or the session store (`--store`) "
                        + "cannot be reached; try again later. Or `enrolled` was given and face matching is off on this "
                        + "server (its models are missing)."),
                ]),
            Endpoint(
                method: .post, path: "/submit-liveness", id: "submitLiveness",
                summary: "Score the recording of a liveness session",
                description: "Scored by exactly the rules of `gazetop challenge --input`, on a vision worker. A video that "
                    + "does not decode from its start costs no session; of two submissions of one session exactly one is scored.",
                body: Endpoint.Body(contentType: "multipart/form-data", schema: Schema.ref("SubmitLivenessRequest"), required: true,
                                    description: "A form as a browser's FormData sends it; at most \(maxUpload) in all (`--max-video-mb`).",
                                    encoding: ["video": ["contentType": "video/webm, video/mp4, application/octet-stream"]]),
                answers: [
                    Endpoint.Answer(status: 200, description: "The verdict.", schema: Schema.ref("SubmitLivenessResponse")),
                    .error(400, "The multipart body is cut short or malformed, or `session_id` or `video` is missing or empty."),
                    .error(404, "No such session (never issued here, or forgotten)."),
                    .error(409, "The session was already submitted."),
                    .error(410, "The session expired."),
                    .error(413, "The upload is over \(maxUpload), or the video is longer than "
                        + "\(RecordEncoding.num(s.liveness.maxVideoSeconds, 1)) s."),
                    .error(415, "The body is not `multipart/form-data` with a boundary."),
                    .error(422, "The video cannot be decoded, or has no frames."),
                    .error(500, "The session store (`--store`) holds this session in a form it cannot read (a row edited by hand)."),
                    .error(503, "The upload cannot be stored now (a full disk), or the session store (`--store`) cannot be "
                        + "reached; try again later."),
                ]),
            Endpoint(
                method: .post, path: "/match", id: "match", summary: "Whether two photos show the same person",
                description: "The original liveness API's face match, answered with the fields of `gazetop match --json`. "
                    + "Each image must show one clear face. Decoding, detection and the descriptors run on a vision worker."
                    + (s.match.allowFetch ? " An image may also be an `http://` or `https://` URL of a public address "
                        + "(`--allow-fetch`): fetched once, redirects not followed, at most \(megabytes(s.match.maxImageBytes)) in "
                        + "\(s.match.fetchTimeoutSeconds) s." : " This server fetches no URL (it runs without `--allow-fetch`)."),
                body: Endpoint.Body(contentType: "application/json", schema: Schema.ref("MatchRequest"), required: true,
                                    description: "The two images and, optionally, the threshold."),
                answers: [
                    Endpoint.Answer(status: 200, description: "The match.", schema: Schema.ref("MatchResponse")),
                    .error(400, "The body is not a JSON object, an image is missing or is not base64 (or a URL this server "
                        + "will not fetch), or `threshold` is not a number between 0 and 2."),
                    .error(413, "An image is over \(megabytes(s.match.maxImageBytes)), or the body is over its limit."),
                    .error(422, "An image does not decode, or does not show exactly one clear face (the error names it and says why)."),
                    .error(503, "Face matching is off on this server: its models are missing (`make face-models`)."),
                ]),
            Endpoint(
                method: .get, path: "/openapi.json", id: "openAPIDocument", summary: "This document",
                description: "OpenAPI 3.1, written by hand and kept true by the server's tests.",
                answers: [Endpoint.Answer(status: 200, description: "The document.", schema: Schema.object(
                    "An OpenAPI 3.1 document.", [
                        .required("openapi", Schema.string("The OpenAPI version.")),
                        .required("info", Schema.object("Title and version.", [])),
                        .required("paths", Schema.object("The endpoints.", [])),
                    ]))]),
            Endpoint(
                method: .get, path: "/docs", id: "docs", summary: "This document as a page to read",
                description: "HTML drawn by the server from the same document: no script, nothing fetched from elsewhere.",
                answers: [Endpoint.Answer(status: 200, description: "The page.", contentType: "text/html",
                                          schema: Schema.string("An HTML page."))]),
        ] + WebPage.files.keys.sorted().flatMap { path in
            [Endpoint.Method.get, .head].map { method in webFile(method, path) }
        }
    }

    /// `GET` (and `HEAD`) of the web page or one of its files: open, since the page holds no secret and a
    /// browser's first load sends no token (the page sends it on every API call, see README).
    private static func webFile(_ method: Endpoint.Method, _ path: String) -> Endpoint {
        let type = WebPage.files[path].map { String($0.contentType.prefix { $0 != ";" }) } ?? "text/html"
        let name = path == "/" ? "WebPage" : "WebFile" + path.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        let what = path == "/" ? "The web page (the live view and the liveness challenge)" : "A file of the web page"
        return Endpoint(
            method: method, path: path, id: method.rawValue + name,
            summary: what + (method == .head ? ": its headers only" : ""),
            description: "Plain HTML, CSS and JavaScript compiled into the binary, sent with a Content-Security-Policy that "
                + "keeps the page to this server. Open even when a token is required: the page holds no secret.",
            answers: [Endpoint.Answer(status: 200, description: "The file.", contentType: type, schema: Schema.string("The file's text."))],
            open: true)
    }

    static func schemas(_ s: ServeSettings) -> [(String, JSONValue)] {
        let durations = s.liveness.areaDurationRange
        let cell = Schema.integer("A cell of the 2x3 grid, 1 to 6, row by row from the top left.", minimum: 1, maximum: 6)
        return [
            ("APIError", Schema.object("Every error answer: a 4xx (or 503) naming the problem.", [
                .required("success", Schema.boolean("Always false.", always: false)),
                .required("error", Schema.string("What is wrong, in one sentence.")),
                .required("status", Schema.integer("The HTTP status, again.", minimum: 400, maximum: 599)),
            ])),
            ("Health", Schema.object("The server's state.", [
                .required("status", Schema.string("Always ok while it serves.", oneOf: ["ok"])),
                .required("version", Schema.string("gazetop's version.", pattern: "^[0-9]+\\.[0-9]+\\.[0-9]+")),
                .required("models", Schema.object("The models loaded, by file name.", [
                    .required("landmarks", Schema.string("The 68-point landmark model's file name.")),
                    .required("face_recognition", Schema.orNull(Schema.string("Face matching's network; null when face matching is off."))),
                    .required("face_alignment", Schema.orNull(Schema.string("Face matching's 5-point model; null when face matching is off."))),
                ])),
                .required("face_matching", Schema.boolean("Whether `/match` and `enrolled` are served (their models loaded).")),
                .required("fetch", Schema.boolean("Whether `/match` fetches URLs (`--allow-fetch`).")),
                .required("visionWorkers", Schema.integer("Vision workers (`--workers`).", minimum: 1)),
                .required("connections", Schema.integer("WebSocket connections open now.", minimum: 0)),
                .required("maxConnections", Schema.integer("The cap on them (`--max-connections`).", minimum: 1)),
                .required("logWriteFailures", Schema.integer("Access-log lines that could not be written.", minimum: 0)),
            ])),
            ("InitiateLivenessRequest", Schema.object("What a session is drawn with; every field optional.", [
                .optional("area_duration", Schema.number("Seconds the person looks at each cell (default 3).",
                                                          minimum: durations.lowerBound, maximum: durations.upperBound)),
                .optional("enrolled", Schema.string("Someone `gazetop enroll` enrolled on the server: the recording must then "
                    + "show that person, the same face throughout (as `gazetop challenge --enrolled`).")),
            ])),
            ("InitiateLivenessResponse", Schema.object("A new liveness session and what the page shows when.", [
                .required("success", Schema.boolean("Always true.", always: true)),
                .required("session_id", Schema.string("The session, for `/submit-liveness`.", pattern: "^[0-9a-f]{32}$")),
                .required("sequence", Schema.array("The cells to look at, in order.", of: cell, minItems: 1)),
                .required("area_duration", Schema.number("Seconds on each cell.")),
                .required("total_duration", Schema.number("Seconds from the start of the recording to the end of the last cell.")),
                .required("instructions", Schema.string("One sentence for the person.")),
                .required("calibration", Schema.array("The short calibration's dots.", of: Schema.object("A dot.", [
                    .required("cell", cell),
                    .required("duration", Schema.number("Seconds.")),
                ]))),
                .required("schedule", Schema.array("Everything the page shows, in order, back to back from 0.", of: Schema.ref("ScheduleStep"))),
                .required("enrolled", Schema.orNull(Schema.string("The enrolled person the recording must show; null for anyone."))),
                .required("expires_in", Schema.number("Seconds the session may be submitted in.")),
            ])),
            ("ScheduleStep", Schema.object("One step of a session's schedule.", [
                .required("step", Schema.string("What is shown.", oneOf: ["get_ready", "calibration", "cell"])),
                .required("cell", Schema.orNull(Schema.integer("The cell (the dot's while calibrating); null for get ready.",
                                                               minimum: 1, maximum: 6))),
                .required("start", Schema.number("Seconds from the start of the recording.")),
                .required("duration", Schema.number("Seconds.")),
                .required("instruction", Schema.string("What the person is told.")),
            ])),
            ("SubmitLivenessRequest", Schema.object("The form of a submission.", [
                .required("session_id", Schema.string("The session's id, from `/initiate-liveness`.")),
                .required("video", Schema.string("The recording: a WebM from a browser's MediaRecorder (VP8 or VP9), or an MP4.",
                                                 format: "binary")),
            ])),
            ("SubmitLivenessResponse", Schema.object("The verdict on a recording.", [
                .required("success", Schema.boolean("Always true: the recording was scored (the verdict is `result`).", always: true)),
                .required("session_id", Schema.string("The session submitted.")),
                .required("result", Schema.string("The verdict.", oneOf: ["pass", "fail", "inconclusive"])),
                .required("reason", Schema.orNull(Schema.string("What to tell the person; null on a pass."))),
                .required("sequence", Schema.array("The session's cells.", of: cell)),
                .required("overall_accuracy", Schema.number("Share of the cells' frames on target, 0..1.", minimum: 0, maximum: 1)),
                .required("sequence_results", Schema.array("Per cell, as in the challenge's result file.", of: Schema.ref("CellResult"))),
                .required("failed_checks", Schema.array("The failed checks' names, in the order the person hears of them.",
                                                        of: Schema.string("A check's name (see the README's \"Checks\")."))),
                .required("checks", Schema.array("Every check made, as in the challenge's result file.", of: Schema.object("A check.", [
                    .required("name", Schema.string("The check's name (see the README's \"Checks\").")),
                    .required("passed", Schema.boolean("Whether it passed.")),
                    .required("value", Schema.number("What was measured.")),
                    .required("limit", Schema.number("The limit it is held to.")),
                ]))),
                .required("identity", Schema.orNull(Schema.object("The enrolled person asked for at initiate; null for anyone.", [
                    .required("enrolled", Schema.string("Their name.")),
                    .required("descriptors", Schema.integer("Face descriptors of theirs compared.", minimum: 0)),
                ]))),
                .required("stopped", Schema.orNull(Schema.string("Why the run ended early; null when it did not."))),
                .required("processing_time", Schema.number("Seconds from the request to the verdict.", minimum: 0)),
            ])),
            ("CellResult", Schema.object("One cell's score.", [
                .required("area", cell),
                .required("accuracy", Schema.number("Share of its frames on target, 0..1.", minimum: 0, maximum: 1)),
                .required("frames", Schema.integer("Frames counted.", minimum: 0)),
                .required("frames_on_target", Schema.integer("Frames looking at the cell.", minimum: 0)),
                .required("direction_ok", Schema.orNull(Schema.boolean("Whether the move from the previous cell went its way; null for the first."))),
            ])),
            ("MatchRequest", Schema.object("Two images to compare.", [
                .required("image1", Schema.string("A JPEG or PNG as a data URL (`data:image/jpeg;base64,...`) or bare base64"
                    + (s.match.allowFetch ? ", or an http(s) URL." : "."))),
                .required("image2", Schema.string("The other image, the same way.")),
                .optional("threshold", Schema.number("The descriptor distance at or under which the two are the same person "
                    + "(default \(RecordEncoding.num(s.match.threshold, 2))).", exclusiveMinimum: 0, exclusiveMaximum: 2)),
            ])),
            ("MatchResponse", Schema.object("The match, with the fields of `gazetop match --json`.", [
                .required("success", Schema.boolean("Always true.", always: true)),
                .required("match", Schema.boolean("The same person: `distance` at or under `threshold`.")),
                .required("similarity_score", Schema.number("1 - distance.")),
                .required("threshold", Schema.number("The threshold used.")),
                .required("distance", Schema.number("The faces' descriptor distance.", minimum: 0)),
                .required("inputs", Schema.array("Each image and the face used.", of: Schema.object("One image.", [
                    .required("path", Schema.string("`image1` or `image2`.", oneOf: ["image1", "image2"])),
                    .required("kind", Schema.string("Always `photo` here.", oneOf: ["photo"])),
                    .required("faces", Schema.array("The face found.", of: Schema.object("A face.", [
                        .required("box", Schema.array("[x, y, width, height] in the picture's pixels (after any scaling down).",
                                                      of: Schema.number("px"), minItems: 4, maxItems: 4)),
                        .required("quality", Schema.number("The face detector's score.")),
                        .required("frame", Schema.orNull(Schema.integer("The frame of a video; null for a photo.", minimum: 0))),
                    ]))),
                ]), minItems: 2, maxItems: 2)),
            ])),
            ("EyeFrameMessage", Schema.object("A frame sent on `/ws` (or the bare base64 of the picture).", [
                .required("type", Schema.string("`frame`; a message of another type gets no answer.")),
                .required("data", Schema.string("The picture: `data:image/jpeg;base64,...` or bare base64; JPEG or PNG.")),
                .optional("time", Schema.number("The frame's stream time in ms (default: when it arrived); never going backwards.",
                                                minimum: 0)),
            ])),
            ("EyeRecord", Schema.object("A frame's answer on `/ws`: the original server's fields, then gazetop's record.", [
                .required("t", Schema.number("When it was served, in epoch milliseconds.")),
                .required("earLeft", Schema.orNull(Schema.number("The left eye's aspect ratio; null with no face."))),
                .required("earRight", Schema.orNull(Schema.number("The right eye's aspect ratio; null with no face."))),
                .required("blink", Schema.boolean("In a blink now.")),
                .required("eyeContact", Schema.boolean("Looking at the camera now.")),
                .required("eyeContactPct", Schema.number("Share of the rolling window in eye contact, 0..1.", minimum: 0, maximum: 1)),
                .required("gazeVector", Schema.orNull(Schema.array("[x, y], each -1..1: x > 0 the person looks to their right of the camera, y > 0 above it; 1 is 40°.",
                                                                   of: Schema.number("A component."), minItems: 2, maxItems: 2))),
                .required("conf", Schema.number("0..1 trust in this frame's eye measures (0 with no face).", minimum: 0, maximum: 1)),
                .required("frame", Schema.integer("0-based frame number on this connection.", minimum: 0)),
                .required("face", Schema.boolean("A face is being followed.")),
                .required("faces", Schema.integer("Faces the last scan of the whole picture found (the largest is followed).", minimum: 0)),
                .required("blinkCount", Schema.integer("Blinks on this connection so far.", minimum: 0)),
                .required("eyes", Schema.string("The eyes' state.", oneOf: ["open", "blink", "closed", "unknown"])),
                .required("headPose", Schema.orNull(Schema.object("Degrees: yaw > 0 the face turns towards the image's right, pitch > 0 up, roll > 0 clockwise.", [
                    .required("yaw", Schema.number("Left-right.")), .required("pitch", Schema.number("Up-down.")),
                    .required("roll", Schema.number("Tilt.")),
                ]))),
                .required("pupils", Schema.orNull(Schema.object("Pupil centres in the picture's pixels, [x, y].", [
                    .required("left", Schema.orNull(Schema.array("[x, y]", of: Schema.number("px"), minItems: 2, maxItems: 2))),
                    .required("right", Schema.orNull(Schema.array("[x, y]", of: Schema.number("px"), minItems: 2, maxItems: 2))),
                ]))),
                .required("ms", Schema.number("Vision's time on the frame, ms.", minimum: 0)),
                .required("streamMs", Schema.number("The frame's stream time, ms.")),
                .required("dropped", Schema.integer("This connection's frames replaced by newer ones so far.", minimum: 0)),
            ])),
            ("EyeError", Schema.object("A message on `/ws` that gave no frame; the connection stays open.", [
                .required("t", Schema.number("When, in epoch milliseconds.")),
                .required("error", Schema.string("What is wrong with the message.")),
            ])),
        ]
    }

    /// "50 MB", "64 KB".
    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(RecordEncoding.num(Double(bytes) / (1024 * 1024), 1)) MB" : "\(bytes / 1024) KB"
    }
}
