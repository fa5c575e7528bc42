// swift-tools-version:6.0
// Freshet: a SQL-first streaming database. The targets are layered; a module
// imports only the modules below it (see docs/architecture.md).
import PackageDescription

let nio: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")

let package = Package(
    name: "freshet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "freshet", targets: ["freshet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // Leaf: values, types, schemas, SQLSTATE, clocks.
        .target(name: "FreshetCore"),
        // Tokens, AST, parser, printer. Imports nothing.
        .target(name: "FreshetSQL"),
        // Segmented append-only logs, group commit, catalog file.
        // Hardware CRC32C (SSE4.2 crc32 instruction), used by FreshetStorage when present.
        .target(name: "CFreshetCRC"),
        .target(name: "FreshetStorage", dependencies: ["FreshetCore", "CFreshetCRC"]),
        // Binder, types, plans.
        .target(name: "FreshetPlanner", dependencies: ["FreshetSQL", "FreshetCore"]),
        // Expression evaluation and operators.
        .target(name: "FreshetRuntime", dependencies: ["FreshetPlanner", "FreshetStorage", "FreshetCore"]),
        // Data Streams: shards, hash-key ranges, routing, sequence numbers.
        .target(name: "FreshetStreams", dependencies: ["FreshetRuntime", "FreshetStorage", "FreshetCore", crypto]),
        // Sessions, catalog, statement execution, system tables.
        .target(name: "FreshetEngine", dependencies: [
            "FreshetStreams", "FreshetRuntime", "FreshetPlanner", "FreshetSQL", "FreshetStorage", "FreshetCore", logging,
        ]),
        // PostgreSQL wire protocol v3 on SwiftNIO.
        .target(name: "FreshetWire", dependencies: ["FreshetEngine", "FreshetCore", nio, nioPosix, logging, crypto]),
        // HTTP listener on Hummingbird: /metrics now, the AWS-compatible APIs later.
        .target(name: "FreshetHTTP", dependencies: [
            "FreshetEngine", "FreshetCore", logging, .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // The command line.
        .executableTarget(name: "freshet", dependencies: [
            "FreshetWire", "FreshetHTTP", "FreshetEngine", "FreshetCore", "CReadline", nio, nioPosix, logging,
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // GNU readline, the line editor of `freshet shell`.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        // libpq, the reference client in tests.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Shared test helpers: the .slt runner, temp directories, a server launcher.
        .target(name: "FreshetTestSupport", dependencies: ["FreshetEngine", "FreshetCore", "CLibPQ"]),

        .testTarget(name: "FreshetCoreTests", dependencies: ["FreshetCore"]),
        .testTarget(name: "FreshetSQLTests", dependencies: ["FreshetSQL"]),
        .testTarget(name: "FreshetStorageTests", dependencies: ["FreshetStorage", "FreshetCore"]),
        .testTarget(name: "FreshetPlannerTests", dependencies: ["FreshetPlanner", "FreshetSQL", "FreshetCore"]),
        .testTarget(name: "FreshetRuntimeTests", dependencies: ["FreshetRuntime", "FreshetPlanner", "FreshetCore"]),
        .testTarget(name: "FreshetStreamsTests", dependencies: ["FreshetStreams", "FreshetStorage", "FreshetCore"]),
        .testTarget(name: "FreshetHTTPTests", dependencies: ["FreshetHTTP", "FreshetTestSupport", "FreshetEngine", "FreshetCore"]),
        .testTarget(name: "FreshetWireTests", dependencies: [
            "FreshetWire", "FreshetEngine", "FreshetCore", nio, nioPosix,
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOTestUtils", package: "swift-nio"),
        ]),
        .testTarget(name: "SQLLogicTests", dependencies: ["FreshetTestSupport", "FreshetEngine", "FreshetCore"],
                    resources: [.copy("slt")]),
        .testTarget(name: "EndToEndTests", dependencies: ["FreshetTestSupport", "CLibPQ", "FreshetCore", "freshet"]),
    ]
)
