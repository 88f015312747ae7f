import Foundation
import Glibc
import Testing

/// The web page at `/` in a real browser: Debian's Chromium, headless, its fake camera playing a shared ZJU
/// clip (a person looking into the camera), against a `gazetop serve` on loopback. The live view must show
/// what `/ws` answers, and the challenge must run its whole schedule, upload its recording and show the
/// verdict: a clip of someone staring at the camera fails (they never look at the cells).
///
/// Set `GAZETOP_SCREENSHOTS=FOLDER` to keep a screenshot of each view there (to look at; never committed).
@Suite(.serialized, .enabled(if: TestData.ready, Comment(rawValue: TestData.skipMessage)),
       .enabled(if: Chromium.executable != nil, Comment(rawValue: Chromium.skipMessage)))
struct WebPageTests {
    /// Headless Chromium in a temporary folder of its own (the caller stops it and removes the folder): its
    /// fake camera plays the shared blink clip (as Y4M, written there), or, with `camera: false`, the page is
    /// refused the camera.
    static func browser(camera: Bool = true) throws -> (Chromium, folder: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-webpage-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            guard camera else { return (try Chromium(camera: nil, grantsCamera: false, folder: folder), folder) }
            let clip = folder + "/camera.y4m"
            try Y4MClip.write(TestData.blinkClip, to: clip)
            return (try Chromium(camera: clip, folder: folder), folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// The page's files come from the binary, each with its type and the policy that keeps the page to its
    /// own server.
    @Test func pageFilesAreServed() throws {
        let server = try SharedServer.get()
        for (path, type) in [("/", "text/html"), ("/web/style.css", "text/css"), ("/web/page.js", "text/javascript"),
                             ("/web/camera.js", "text/javascript"), ("/web/token.js", "text/javascript"), ("/web/live.js", "text/javascript"),
                             ("/web/challenge.js", "text/javascript")] {
            let answer = try HTTP.request(port: server.port, "GET", path)
            #expect(answer.status == 200, "\(path)")
            #expect(answer.headers["content-type"]?.hasPrefix(type) == true, "\(path): \(answer.headers)")
            #expect(answer.headers["content-security-policy"]?.contains("default-src 'self'") == true, "\(path)")
            #expect(!answer.body.isEmpty, "\(path)")
        }
        let missing = try HTTP.request(port: server.port, "GET", "/web/nothing.js")
        #expect(missing.status == 404)
        #expect(missing.json?["success"] as? Bool == false)
    }

    @Test(.timeLimit(.minutes(3))) func liveViewAndChallengeInChromium() throws {
        let server = try SharedServer.get()
        let (browser, folder) = try Self.browser()
        defer { browser.stop(); try? FileManager.default.removeItem(atPath: folder) }
        let page = try browser.page()
        let keep = ProcessInfo.processInfo.environment["GAZETOP_SCREENSHOTS"]
        func screenshot(_ name: String) throws {
            guard let keep else { return }
            try page.screenshot().write(to: URL(fileURLWithPath: keep).appendingPathComponent("webpage-\(name).png"))
        }

        try page.navigate("http://127.0.0.1:\(server.port)/")
        try page.waitUntil("document.getElementById('nav-live')?.getAttribute('aria-current') === 'page'",
                           seconds: 30, describe: "document.body ? document.body.innerText : 'no body'")

        // The live view: the camera's frames to /ws, the answers on the page.
        try page.evaluate("document.getElementById('live-start').click()")
        let liveState = "document.getElementById('live-status').textContent + ' | ' + document.getElementById('live-error').textContent"
            + " + ' | ' + document.getElementById('live-metrics').innerText"
        try page.waitUntil("Number(document.getElementById('live-metrics').dataset.frames) >= 20", seconds: 60, describe: liveState)
        #expect(try page.string("document.activeElement.id") == "live-stop", "the focus moves to the button that undoes it")
        let shown = try page.string(liveState)
        let contact = try page.string("document.getElementById('m-contact').dataset.state")
        #expect(["yes", "no"].contains(contact), "a face is in view, so eye contact is judged: \(shown)")
        let ear = try page.string("document.getElementById('m-ear').textContent")
        #expect(ear.wholeMatch(of: /0\.\d\d \/ 0\.\d\d/) != nil, "EAR of both eyes: \(ear)")
        let percentage = try page.string("document.getElementById('m-pct').textContent")
        #expect(percentage.wholeMatch(of: /\d{1,3}%/) != nil, "the rolling eye contact: \(percentage)")
        let blinks = try page.string("document.getElementById('m-blinks').textContent")
        #expect(Int(blinks) != nil, "blinks counted: \(blinks)")
        let liveErrorHidden = try page.evaluate("document.getElementById('live-error').hidden") as? Bool
        #expect(liveErrorHidden == true, "no error: \(shown)")
        try screenshot("live")
        try page.evaluate("document.getElementById('live-stop').click()")

        // The challenge: its whole schedule on the stage while recording, then the verdict.
        try page.evaluate("location.hash = '#challenge'")
        try page.waitUntil("!document.getElementById('challenge').hidden", seconds: 10, describe: "location.hash")
        // What the stage shows is noted by the page itself as it changes, so a slow look from here misses nothing.
        try page.evaluate("""
            window.stagesSeen = [];
            new MutationObserver(() => {
              const lit = document.querySelector('#stage-grid .cell.lit'), dot = document.querySelector('#stage-grid .cell.dotted');
              const now = lit ? 'cell ' + lit.dataset.cell : dot ? 'dot ' + dot.dataset.cell : null;
              if (now && window.stagesSeen[window.stagesSeen.length - 1] !== now) window.stagesSeen.push(now);
            }).observe(document.getElementById('stage-grid'), { subtree: true, attributes: true, attributeFilter: ['class'] });
            """)
        try page.evaluate("document.getElementById('area-duration').value = '1'; document.getElementById('challenge-start').click()")
        let challengeState = "'stage: ' + (document.getElementById('stage').hidden ? 'hidden' : document.getElementById('stage').innerText)"
            + " + ' | status: ' + document.getElementById('challenge-status').textContent"
            + " + ' | error: ' + document.getElementById('challenge-error').textContent"
        let finished = "!document.getElementById('result').hidden || !document.getElementById('challenge-error').hidden"
        try page.waitUntil("document.querySelector('#stage-grid .cell.dotted, #stage-grid .cell.lit') !== null || \(finished)",
                           seconds: 60, describe: challengeState)
        if try page.evaluate("document.querySelector('#stage-grid .cell.dotted') !== null") as? Bool == true {
            try screenshot("challenge-dot")
        }
        try page.waitUntil("document.querySelector('#stage-grid .cell.lit') !== null || \(finished)", seconds: 60, describe: challengeState)
        if try page.evaluate("document.querySelector('#stage-grid .cell.lit') !== null") as? Bool == true {
            try screenshot("challenge-stage")
        }
        try page.waitUntil(finished, seconds: 90, describe: challengeState)
        let ended = try page.string(challengeState)
        let errorHidden = try page.evaluate("document.getElementById('challenge-error').hidden") as? Bool
        #expect(errorHidden == true, "no error: \(ended)")
        let result = try page.string("document.getElementById('result').dataset.result")
        let verdict = try page.string("document.getElementById('result').innerText")
        #expect(result == "fail", "someone staring at the camera never follows the cells: \(verdict)")
        #expect(try page.string("document.getElementById('result-title').textContent") == "Failed")
        let advice = try page.string("document.getElementById('result-advice').textContent")
        #expect(!advice.isEmpty, "the one thing to do is said")
        // The stage went through the schedule: the calibration's dots, then each cell the verdict lists.
        let areas = try page.evaluate("[...document.getElementById('result-cells').tBodies[0].rows].map(r => r.cells[0].textContent)")
            as? [String] ?? []
        #expect(areas.count == 3, "a row per cell: \(verdict)")
        let seen = try page.evaluate("window.stagesSeen") as? [String] ?? []
        let dots = seen.prefix { $0.hasPrefix("dot ") }
        #expect(dots.count == 3 && Set(dots).count == 3, "the calibration's three dots first: \(seen)")
        #expect(Array(seen.dropFirst(dots.count)) == areas.map { "cell \($0)" }, "then each cell in turn: \(seen) for \(areas)")
        #expect(try page.evaluate("document.activeElement.id") as? String == "result-title", "the verdict has the focus")
        try screenshot("challenge-result")
        #expect(server.log.contains("\"POST /submit-liveness HTTP/1.1\" 200"), "the recording was scored")
        #expect(page.problems.isEmpty, "the page ran without errors: \(page.problems)")

        // The server's refusal is said in its own words, and the stage goes away.
        try page.evaluate("document.getElementById('area-duration').value = '20'; document.getElementById('challenge-again').click()")
        try page.waitUntil("!document.getElementById('challenge-error').hidden", seconds: 30, describe: challengeState)
        let refusal = try page.string("document.getElementById('challenge-error').textContent")
        #expect(refusal.contains("(400)") && refusal.contains("area_duration"), "\(refusal)")
        #expect(try page.evaluate("document.getElementById('stage').hidden") as? Bool == true)
        #expect(try page.evaluate("document.getElementById('challenge-start').disabled") as? Bool == false, "it can be tried again")

        // Esc stops a run while it records, and nothing is sent (the page's requests are counted from here).
        try page.evaluate("""
            window.requestsSent = [];
            const fetchOriginal = window.fetch;
            window.fetch = (url, init) => { window.requestsSent.push(String(url)); return fetchOriginal(url, init); };
            document.getElementById('area-duration').value = '3';
            document.getElementById('challenge-start').click();
            """)
        try page.waitUntil("!document.getElementById('stage-rec').hidden", seconds: 60, describe: challengeState)
        #expect(try page.string("document.activeElement.id") == "stage-stop", "the stage has the focus")
        for type in ["keyDown", "keyUp"] {
            try page.call("Input.dispatchKeyEvent", ["type": type, "key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27])
        }
        try page.waitUntil("document.getElementById('stage').hidden", seconds: 30, describe: challengeState)
        #expect(try page.string("document.getElementById('challenge-status').textContent").hasPrefix("Stopped"))
        #expect(try page.evaluate("window.requestsSent") as? [String] == ["/initiate-liveness"], "no recording sent")
    }

    /// A camera the person refuses: both views say so and what to do, and nothing is left running.
    @Test(.timeLimit(.minutes(2))) func aRefusedCameraIsSaid() throws {
        let server = try SharedServer.get()
        let (browser, folder) = try Self.browser(camera: false)
        defer { browser.stop(); try? FileManager.default.removeItem(atPath: folder) }
        let page = try browser.page()
        try page.navigate("http://127.0.0.1:\(server.port)/#live")
        try page.waitUntil("document.getElementById('nav-live')?.getAttribute('aria-current') === 'page'",
                           seconds: 30, describe: "document.body ? document.body.innerText : 'no body'")
        try page.evaluate("document.getElementById('live-start').click()")
        try page.waitUntil("!document.getElementById('live-error').hidden", seconds: 30,
                           describe: "document.getElementById('live-status').textContent")
        #expect(try page.string("document.getElementById('live-error').textContent").contains("The camera was refused"))
        #expect(try page.evaluate("document.getElementById('live-start').disabled") as? Bool == false)

        try page.evaluate("location.hash = '#challenge'")
        try page.waitUntil("!document.getElementById('challenge').hidden", seconds: 10, describe: "location.hash")
        try page.evaluate("document.getElementById('challenge-start').click()")
        try page.waitUntil("!document.getElementById('challenge-error').hidden", seconds: 30,
                           describe: "document.getElementById('challenge-status').textContent")
        #expect(try page.string("document.getElementById('challenge-error').textContent").contains("The camera was refused"))
        #expect(try page.evaluate("document.getElementById('stage').hidden") as? Bool == true, "the stage is gone")
        #expect(page.problems.isEmpty, "\(page.problems)")
        if let keep = ProcessInfo.processInfo.environment["GAZETOP_SCREENSHOTS"] {
            try page.screenshot().write(to: URL(fileURLWithPath: keep).appendingPathComponent("webpage-camera-refused.png"))
        }
    }

    /// A server that requires its token (`--token`): the page opened with `?access_token=` takes it out of the
    /// address bar and sends it (the live view's WebSocket gets answers); opened without it, the page says
    /// how to open it instead of failing silently.
    @Test(.timeLimit(.minutes(2))) func thePageSendsTheServersToken() throws {
        let server = try TokenServer.get()
        let (browser, folder) = try Self.browser()
        defer { browser.stop(); try? FileManager.default.removeItem(atPath: folder) }
        let liveState = "document.getElementById('live-status').textContent + ' | ' + document.getElementById('live-error').textContent"

        let page = try browser.page()
        try page.navigate("http://127.0.0.1:\(server.port)/#live")
        try page.waitUntil("document.getElementById('nav-live')?.getAttribute('aria-current') === 'page'",
                           seconds: 30, describe: "document.body ? document.body.innerText : 'no body'")
        try page.evaluate("document.getElementById('live-start').click()")
        try page.waitUntil("!document.getElementById('live-error').hidden", seconds: 60, describe: liveState)
        #expect(try page.string("document.getElementById('live-error').textContent").contains("?access_token=TOKEN"))

        try page.navigate("http://127.0.0.1:\(server.port)/?access_token=\(TokenServer.token)#live")
        try page.waitUntil("document.getElementById('nav-live')?.getAttribute('aria-current') === 'page'",
                           seconds: 30, describe: "document.body ? document.body.innerText : 'no body'")
        #expect(try page.string("location.href") == "http://127.0.0.1:\(server.port)/#live", "the token leaves the address bar")
        try page.evaluate("document.getElementById('live-start').click()")
        try page.waitUntil("Number(document.getElementById('live-metrics').dataset.frames) >= 5", seconds: 60, describe: liveState)
        let shown = try page.string(liveState)
        #expect(try page.evaluate("document.getElementById('live-error').hidden") as? Bool == true, "\(shown)")
        try page.evaluate("document.getElementById('live-stop').click()")
        #expect(page.problems.isEmpty, "\(page.problems)")
    }
}
