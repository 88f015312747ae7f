import CV4L2
import Glibc

/// The simulated device's kernel-side state: descriptors, the buffer queue, the stream. Every method runs
/// under the device's lock and never blocks.
struct SimulatedV4L2State {
    enum BufferState { case dequeued, queued, done }

    struct Buffer {
        /// Allocated by the simulator and handed out by mmap; freed when the queue is released and no
        /// mapping is left.
        var storage: UnsafeMutableRawPointer
        var length: Int
        var mapped = 0
        var state = BufferState.dequeued
        var bytesUsed = 0
        var sequence: UInt32 = 0
        var timestampUs: Int64 = 0
        var last = false
        var error = false
    }

    let config: SimulatedCameraConfig
    let offered: [OfferedFormat]
    let rate: Double

    var nonBlocking: [Int32: Bool] = [:]
    /// Descriptors opened before an unplug: every call on them fails with ENODEV until closed.
    var deadFds: Set<Int32> = []
    var nextFd: Int32 = 1000
    /// The descriptor whose VIDIOC_REQBUFS created the queue; others get EBUSY.
    var owner: Int32?
    /// While there is a queue: this program's hold on the video (`SimulatedCameraLock`), which makes the
    /// camera busy for other programs.
    var lockKey: String?

    var fourcc: FourCC
    var width: Int
    var height: Int

    var buffers: [Buffer] = []
    var queued: [Int] = []
    var done: [Int] = []
    /// Buffers released while still mapped: their memory lives until munmap, as a kernel's does.
    var orphans: [Buffer] = []

    var streaming = false
    var streamStartUs: Int64 = 0
    var startFrame = 0
    /// Frames captured over the device's life (served or dropped); the video position is this modulo its
    /// length.
    var nextFrame = 0
    var sequence: UInt32 = 0
    var store: (any SimulatedFrameStore)?
    /// Why the last STREAMON or DQBUF failed with EIO: what the video or picture is that cannot be read.
    var sourceFailure: CaptureError?
    /// The offset of the frame streaming (re)started with, from which frames are due.
    var startOffsetUs = 0.0
    var unplugged = false
    var unpluggedAtUs: Int64 = 0
    var hasUnplugged = false

    var framesServed = 0
    var framesDropped = 0
    var workUs: Int64 = 0

    init(config: SimulatedCameraConfig, offered: [OfferedFormat], rate: Double) {
        self.config = config
        self.offered = offered
        self.rate = rate
        fourcc = offered.first?.fourcc ?? .yuyv
        width = offered.first?.sizes.first?.width ?? 640
        height = offered.first?.sizes.first?.height ?? 480
    }

    var counters: SimulatedV4L2Device.Counters {
        .init(openDescriptors: nonBlocking.count, mappedBuffers: (buffers + orphans).reduce(0) { $0 + $1.mapped },
              allocatedBuffers: buffers.count + orphans.count, isStreaming: streaming, framesServed: framesServed,
              framesDropped: framesDropped, workUs: workUs, preparedBytes: store?.heldBytes ?? 0,
              preparationMs: store?.preparationMs ?? 0)
    }

    // MARK: Descriptors

    mutating func open(flags: Int32, nowUs: Int64) throws(Errno) -> Int32 {
        switch config.openFailure {
        case .busy?: throw Errno(EBUSY)
        case .permission?: throw Errno(EACCES)
        case .missing?: throw Errno(ENOENT)
        case nil: break
        }
        if unplugged {
            guard let replug = config.replugAfterMs, nowUs >= unpluggedAtUs + Int64(replug) * 1000 else {
                throw Errno(ENOENT) // the node is gone from /dev
            }
            unplugged = false
        }
        let fd = nextFd
        nextFd += 1
        nonBlocking[fd] = flags & O_NONBLOCK != 0
        return fd
    }

    mutating func close(_ fd: Int32) throws(Errno) {
        guard nonBlocking[fd] != nil else { throw Errno(EBADF) }
        if owner == fd { releaseQueue() }
        nonBlocking[fd] = nil
        deadFds.remove(fd)
    }

    /// Stops the stream and gives up the buffers; memory still mapped lives on as orphans. The camera is
    /// free for other programs again unless `keepingLock` (a new queue replaces this one).
    mutating func releaseQueue(keepingLock: Bool = false) {
        if !keepingLock, let key = lockKey {
            SimulatedCameraLock.release(key)
            lockKey = nil
        }
        streaming = false
        queued = []
        done = []
        for buffer in buffers {
            if buffer.mapped > 0 { orphans.append(buffer) } else { buffer.storage.deallocate() }
        }
        buffers = []
        owner = nil
    }

    mutating func freeEverything() {
        if let key = lockKey { SimulatedCameraLock.release(key) }
        lockKey = nil
        for buffer in buffers + orphans { buffer.storage.deallocate() }
        buffers = []
        orphans = []
    }

    // MARK: Memory

    func offset(of index: Int) -> Int { index * ((buffers.first?.length ?? 0) + 4095) / 4096 * 4096 }

    mutating func map(_ fd: Int32, length: Int, offset: Int) throws(Errno) -> UInt {
        guard nonBlocking[fd] != nil else { throw Errno(EBADF) }
        if unplugged || deadFds.contains(fd) { throw Errno(ENODEV) }
        guard let index = buffers.indices.first(where: { self.offset(of: $0) == offset }),
              length > 0, length <= buffers[index].length else { throw Errno(EINVAL) }
        buffers[index].mapped += 1
        return UInt(bitPattern: buffers[index].storage)
    }

    mutating func unmap(_ address: UInt) throws(Errno) {
        if let i = buffers.firstIndex(where: { UInt(bitPattern: $0.storage) == address && $0.mapped > 0 }) {
            buffers[i].mapped -= 1
        } else if let i = orphans.firstIndex(where: { UInt(bitPattern: $0.storage) == address }) {
            orphans[i].mapped -= 1
            if orphans[i].mapped == 0 { orphans.remove(at: i).storage.deallocate() }
        } else {
            throw Errno(EINVAL)
        }
    }

    // MARK: Frames

    var exhausted: Bool { store?.ends(before: nextFrame) ?? false }

    /// Where frame `i` sits in time, from the first frame of the first pass.
    func offsetUs(_ i: Int, _ frame: SimulatedFrame) -> Double {
        config.fps != nil ? Double(i) * 1_000_000 / rate : frame.offsetUs
    }

    func dueUs(_ i: Int, _ frame: SimulatedFrame) -> Int64 { streamStartUs + Int64(offsetUs(i, frame) - startOffsetUs) }

    /// Captures every frame that is due by `nowUs` (and encoded: one still being encoded is taken by a
    /// later call).
    mutating func advance(nowUs: Int64) {
        guard streaming, !unplugged, let store else { return }
        while !exhausted {
            if let stall = config.stallAfterFrames, nextFrame >= stall { return }
            guard let frame = store.frame(nextFrame) else { return }
            let due = dueUs(nextFrame, frame)
            switch config.pacing {
            case .realtime: if due > nowUs { return }
            // On demand, one frame at a time, only when the last one has been taken: frames are made as
            // they are asked for, so none waits in a buffer when the device leaves.
            case .demand: if queued.isEmpty || !done.isEmpty { return }
            }
            if let after = config.unplugAfterFrames, !hasUnplugged, nextFrame >= after {
                unplug(nowUs: nowUs)
                return
            }
            if queued.isEmpty {
                framesDropped += 1
            } else {
                let start = MonotonicClock.threadCPUUs()
                let index = queued.removeFirst()
                fill(index, with: frame.bytes, timestampUs: due, last: frame.last)
                done.append(index)
                framesServed += 1
                workUs += MonotonicClock.threadCPUUs() - start
            }
            nextFrame += 1
            store.release(before: nextFrame)
            sequence &+= 1
        }
    }

    mutating func fill(_ index: Int, with frame: [UInt8], timestampUs: Int64, last: Bool) {
        let count = min(frame.count, buffers[index].length)
        frame.withUnsafeBytes { buffers[index].storage.copyMemory(from: $0.baseAddress!, byteCount: count) }
        buffers[index].bytesUsed = count
        buffers[index].error = count < frame.count
        buffers[index].sequence = sequence
        buffers[index].timestampUs = timestampUs
        buffers[index].last = last
        buffers[index].state = .done
    }

    /// The device leaves: every descriptor open now is dead, the stream stops, the queue is released.
    mutating func unplug(nowUs: Int64) {
        unplugged = true
        hasUnplugged = true
        unpluggedAtUs = nowUs
        deadFds.formUnion(nonBlocking.keys)
        releaseQueue()
    }

    /// Poll's answer now, and when a frame will next be due (nil: none is coming by itself).
    mutating func poll(_ fd: Int32, nowUs: Int64) throws(Errno) -> (Int16, Int64?) {
        guard nonBlocking[fd] != nil else { return (Int16(POLLNVAL), nil) }
        if unplugged || deadFds.contains(fd) { return (Int16(POLLERR | POLLHUP | POLLPRI), nil) }
        // A queue that is not streaming, or belongs to another descriptor, has nothing to wait for.
        guard streaming, owner == fd else { return (Int16(POLLERR), nil) }
        advance(nowUs: nowUs)
        if unplugged { return (Int16(POLLERR | POLLHUP | POLLPRI), nil) }
        if !done.isEmpty || exhausted { return (Int16(POLLIN | POLLRDNORM), nil) }
        let stalled = config.stallAfterFrames.map { nextFrame >= $0 } ?? false
        // A frame still being encoded is looked for again shortly.
        guard !stalled, let next = store?.frame(nextFrame) else { return (0, stalled ? nil : nowUs + 2_000) }
        guard config.pacing == .realtime else { return (0, nil) }
        return (0, dueUs(nextFrame, next))
    }
}
