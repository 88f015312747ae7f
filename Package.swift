// swift-tools-version: 6.1
// gazetop: a terminal webcam eye tracker. The map of targets and what each may import is in
// docs/ARCHITECTURE.md; keep the two in step.
import PackageDescription

/// dlib is template code compiled into CVision itself: unoptimised it is tens of times slower, so the
/// C++ target is optimised in every configuration, debug included (cvision.cpp refuses to compile without
/// `__OPTIMIZE__`). The instruction set is a documented baseline, never the build machine's own
/// (`-march=native` gave a binary that died with SIGILL on an older processor): on x86-64 the x86-64-v2
/// level (SSE4.2, POPCNT: every x86-64 processor since 2009), on other architectures the compiler's
/// default. `gazetop bench` medians with each are in the README ("Which processors").
#if arch(x86_64)
let instructionSet = ["-march=x86-64-v2", "-mtune=generic"]
#else
let instructionSet: [String] = []
#endif
let cxxOptimised: [CXXSetting] = [
    .unsafeFlags(["-O3"] + instructionSet + ["-DNDEBUG", "-I/usr/include/opencv4", "-Wno-deprecated-declarations"]),
]

let package = Package(
    name: "gazetop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gazetop", targets: ["gazetop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "CVision",
            cxxSettings: cxxOptimised,
            linkerSettings: [
                .linkedLibrary("dlib"),
                .linkedLibrary("opencv_core"), .linkedLibrary("opencv_imgproc"),
                .linkedLibrary("opencv_imgcodecs"), .linkedLibrary("opencv_calib3d"), .linkedLibrary("opencv_videoio"),
                .linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("avutil"),
                .linkedLibrary("swscale"),
                .linkedLibrary("lapack"), .linkedLibrary("blas"), .linkedLibrary("pthread"),
            ]
        ),
        .target(name: "CV4L2", linkerSettings: [.linkedLibrary("v4l2")]),
        .target(name: "CNcursesw", linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo")]),
        .target(name: "GazeCore"),
        .target(name: "Capture", dependencies: ["CV4L2", "CVision"]),
        .target(name: "Vision", dependencies: ["CVision", "Capture", "GazeCore"]),
        .target(name: "Monitor", dependencies: ["Capture", "Vision", "GazeCore"]),
        .target(name: "Dashboard", dependencies: ["CNcursesw", "GazeCore"]),
        .target(name: "Evaluation", dependencies: ["Monitor", "Dashboard", "Capture", "Vision", "GazeCore"]),
        .target(name: "Store", dependencies: ["Capture", "GazeCore"]),
        .target(name: "Console", dependencies: ["Monitor", "Dashboard", "Store", "Capture", "Vision", "GazeCore"]),
        .target(
            name: "Server",
            dependencies: [
                "Monitor", "Store", "Capture", "Vision", "GazeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            // The web page, compiled into the binary (see WebPage.swift).
            resources: [
                .embedInCode("Web/index.html"), .embedInCode("Web/style.css"), .embedInCode("Web/page.js"),
                .embedInCode("Web/camera.js"), .embedInCode("Web/token.js"), .embedInCode("Web/live.js"), .embedInCode("Web/challenge.js"),
            ]
        ),
        .executableTarget(
            name: "gazetop",
            dependencies: [
                "Server", "Console", "Evaluation", "Monitor", "Dashboard", "Store", "Capture", "Vision", "GazeCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GazeCoreTests", dependencies: ["GazeCore"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Monitor", "Vision", "GazeCore"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Monitor", "Vision", "GazeCore"]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "Capture", "Monitor", "GazeCore"], exclude: ["Reference"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "Capture", "Vision", "GazeCore"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Capture", "GazeCore"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "GazeCore"], exclude: ["Golden"]),
        .testTarget(name: "gazetopTests", dependencies: ["gazetop", "Capture"], exclude: ["Golden"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Monitor", "Capture", "Vision", "GazeCore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
    ],
    cxxLanguageStandard: .cxx17
)
