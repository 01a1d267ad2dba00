// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "GreenMine",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GreenMineShared", targets: ["GreenMineShared"]),
        .library(name: "GreenMineClient", targets: ["GreenMineClient"]),
        .library(name: "GreenMineServer", targets: ["GreenMineServer"]),
        .executable(name: "greenmine", targets: ["greenmine"]),
        .executable(name: "greenmine-server", targets: ["greenmine-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        // PostgreSQL for deployments of several server instances (issue 13); SQLite stays the default.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // The client's HTTP transport: URLSession on Linux woke ~1,000 times a second while waiting
        // for an answer (docs/DECISIONS.md, "The client's HTTP transport"). Already in the graph
        // through HummingbirdTesting, so it adds no package.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
    ],
    targets: [
        // Foundation only: the rules both sides share.
        .target(name: "GreenMineShared", path: "Shared"),
        // The system zlib (zlib1g-dev), for gzip on the wire; no package added.
        .systemLibrary(
            name: "CZlib",
            path: "Zlib/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(name: "GreenMineZlib", dependencies: ["CZlib"], path: "Zlib/GreenMineZlib"),
        // One call Glibc's Swift module leaves out (sync_file_range), for the upload's early writeback.
        .target(name: "CGreenMineIO", path: "Server/CGreenMineIO"),
        .target(
            name: "GreenMineClient",
            dependencies: [
                "GreenMineShared",
                "GreenMineZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Client/GreenMineClient"
        ),
        .executableTarget(
            name: "greenmine",
            dependencies: ["GreenMineClient"],
            path: "Client/greenmine"
        ),
        .target(
            name: "GreenMineServer",
            dependencies: [
                "GreenMineShared",
                "GreenMineZlib",
                "CGreenMineIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C interface, which GRDB builds on (its own product; no package added): the WAL
                // hook of `WALCheckpointer`.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Server/GreenMineServer"
        ),
        .executableTarget(
            name: "greenmine-server",
            dependencies: ["GreenMineServer"],
            path: "Server/greenmine-server"
        ),
        // A loopback proxy that shapes rate, latency and outages (Foundation and Glibc only): the
        // field-link harness of issue 10, for the benchmark and the end-to-end tests.
        .target(name: "FieldLink", path: "Benchmarks/FieldLink"),
        .executableTarget(
            name: "greenmine-bench",
            dependencies: ["GreenMineServer", "GreenMineClient", "FieldLink", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/greenmine-bench"
        ),
        .testTarget(
            name: "GreenMineSharedTests",
            dependencies: ["GreenMineShared"],
            path: "Tests/GreenMineSharedTests"
        ),
        .testTarget(
            name: "GreenMineClientTests",
            dependencies: [
                "GreenMineClient", "GreenMineShared", "GreenMineZlib", .product(name: "GRDB", package: "GRDB.swift"),
                // The real server in-process, for the upload tests (tus over a loopback socket).
                "GreenMineServer", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/GreenMineClientTests"
        ),
        .testTarget(
            name: "GreenMineServerTests",
            dependencies: [
                "GreenMineServer",
                "GreenMineZlib",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/GreenMineServerTests"
        ),
        // Runs the real `greenmine` and `greenmine-server` executables as separate processes; it
        // links neither library. `swift build` (or `swift build --build-tests`) builds them first.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "GreenMineShared", "FieldLink", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/EndToEndTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
