import Dispatch
import Foundation
import GazeCore
@testable import Server
import Synchronization
import Testing
import Vision

/// A connection's session on its vision worker: the newest frame wins, nothing queues.
@Suite(.enabled(if: TestData.ready, Comment(rawValue: TestData.skipMessage)))
struct EyeSessionTests {
    /// Frames that arrive while the worker is busy replace each other: held up behind a suspended worker,
    /// five frames give one answer, for the fifth, with four counted as dropped.
    @Test func aNewerFrameReplacesOneWaiting() throws {
        let frames = try TestData.jpegFrames()
        let pool = try VisionPool(count: 1) { () throws(ModelError) in try FaceModel() }
        let worker = pool.workers[0]
        let answers = Mutex<[String]>([])
        let answered = DispatchSemaphore(value: 0)
        let session = EyeSession(worker: worker, settings: EyeSessionSettings(config: GazeConfig())) { answer in
            answers.withLock { $0.append(answer) }
            answered.signal()
        }
        worker.queue.suspend()
        for i in 0..<5 { session.submit(TestData.message(frames[i].jpeg, timeMs: Double(i) * 100)) }
        #expect(session.counts.received == 5)
        #expect(session.counts.dropped == 4)
        worker.queue.resume()
        answered.wait()
        // The session's turn ends by queueing another look, which finds nothing: after two passes through
        // the queue every answer there will be is in.
        worker.queue.sync {}
        worker.queue.sync {}
        let all = answers.withLock { $0 }
        #expect(all.count == 1)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(all[0].utf8)) as? [String: Any])
        #expect(answer["streamMs"] as? Double == 400)
        #expect(answer["frame"] as? Int == 4)
        #expect(answer["dropped"] as? Int == 4)
    }

    /// A closed session processes nothing more and answers nothing.
    @Test func aClosedSessionAnswersNothing() throws {
        let frames = try TestData.jpegFrames()
        let pool = try VisionPool(count: 1) { () throws(ModelError) in try FaceModel() }
        let worker = pool.workers[0]
        let answers = Mutex(0)
        let session = EyeSession(worker: worker, settings: EyeSessionSettings(config: GazeConfig())) { _ in
            answers.withLock { $0 += 1 }
        }
        worker.queue.suspend()
        session.submit(TestData.message(frames[0].jpeg))
        session.close()
        worker.queue.resume()
        worker.queue.sync {}
        worker.queue.sync {}
        #expect(answers.withLock { $0 } == 0)
        session.submit(TestData.message(frames[1].jpeg))
        worker.queue.sync {}
        #expect(answers.withLock { $0 } == 0)
        #expect(session.counts.received == 1)
    }

    /// The pool hands a new connection to the worker with the fewest.
    @Test func connectionsSpreadOverTheWorkers() throws {
        let pool = try VisionPool(count: 2) { () throws(ModelError) in try FaceModel() }
        let a = pool.assign(), b = pool.assign(), c = pool.assign()
        #expect(a !== b)
        #expect(c === a)
        pool.release(a)
        pool.release(c)
        #expect(pool.assign() === a)
        #expect(pool.workers.map { $0.sessions.load(ordering: .relaxed) } == [1, 1])
    }
}
