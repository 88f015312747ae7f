import ArgumentParser
import Capture
import Console
import GazeCore
import Glibc
import Monitor
import Vision

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Process video files or folders of images into per-frame eye metrics.",
        discussion: """
            Each input is a video file (anything FFmpeg decodes), an image, a folder of images (taken in \
            name order at 30 fps), or a folder of videos (each of its videos in name order, as if named one \
            by one). Every frame gives one record: JSON Lines by default, or CSV. With several inputs, each \
            JSON record names its source. Frames are processed as fast as the machine allows; progress goes \
            to stderr when it is a terminal. A picture of a folder that cannot be read is passed over: the \
            rest is analysed, and the end names it (exit 14, as for a video cut short).
            """
    )

    @Argument(help: ArgumentHelp("Video files, images or folders of images.", valueName: "file-or-folder"))
    var inputs: [String]

    @Option(name: .long, help: "Record format: jsonl or csv.")
    var format: RecordFormat = .jsonl

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write records to this file (written whole or not at all) instead of stdout.", valueName: "path"))
    var output: String?

    @Flag(name: .long, help: "After the records, print a summary per input to stderr.")
    var summary = false

    @Flag(name: .long, help: "Add the raw measures behind each judgement to the records (for tuning): a raw object in JSON, raw* columns in CSV.")
    var raw = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tuning: TuningOptions

    func run() throws {
        // First: from here on a signal stops the run between frames, and no partial output is left.
        let interrupt = InterruptFlag()
        try failing {
            // Open every input first: a typo in the third file should not cost the first two's work.
            var sources: [FrameSource] = []
            for path in inputs.flatMap(fileInputs) {
                do { sources.append(try openFileSource(path: path, skipsUnreadable: true)) } catch {
                    throw CommandFailure(.input, "\(error)")
                }
            }
            let pipeline = FramePipeline(model: try modelOptions.load(), config: tuning.config(live: false), includeRaw: raw)
            let analyzer = FileAnalyzer(pipeline: pipeline)
            let out: OutputFile
            do { out = try OutputFile(path: output) } catch { throw CommandFailure(.output, "\(error)") }
            if format == .csv { out.write(line: (sources.count > 1 ? "source," : "") + RecordEncoding.csvHeader(raw: raw)) }
            let showProgress = isatty(STDERR_FILENO) == 1
            var cutShort: [String] = []
            for source in sources {
                let label = sources.count > 1 ? source.name : nil
                let stats: SessionStats
                do {
                    stats = try analyzer.run(source, onRecord: { record in
                        switch format {
                        case .jsonl: out.write(line: RecordEncoding.json(record, source: label))
                        case .csv: out.write(line: (label.map { RecordEncoding.csvField($0) + "," } ?? "") + RecordEncoding.csv(record, raw: raw))
                        }
                    }, onProgress: showProgress ? { ProgressLine.show($0, name: source.name) } : nil,
                    shouldStop: { interrupt.raised || out.hasFailed })
                } catch {
                    if showProgress { ProgressLine.clear() }
                    throw CommandFailure(.input, "\(error)")
                }
                if showProgress { ProgressLine.clear() }
                if let signal = interrupt.stoppedBy { throw CommandFailure(interruptedBy: signal) }
                if out.hasFailed { break } // the commit says why
                if summary { StandardError.write(SummaryText.lines(for: stats, name: source.name) + "\n") }
                if source.endedEarly {
                    let of = source.expectedFrameCount.map { " of \($0)" } ?? ""
                    cutShort.append("\(source.name) ended early, after \(stats.frames)\(of) frames (the file is cut short or damaged)")
                }
                if !source.skipped.isEmpty {
                    let of = source.expectedFrameCount.map { " of \($0)" } ?? ""
                    cutShort.append("\(source.name): \(source.skipped.count)\(of) pictures skipped (\(source.skipped.joined(separator: "; ")))")
                }
            }
            do { try out.commit() } catch { throw CommandFailure(.output, "\(error)") }
            // The records of what could be read are kept, and the status says they are not the whole video.
            if !cutShort.isEmpty { throw CommandFailure(.inputCutShort, cutShort.joined(separator: "; ")) }
        }
    }
}
