// swift-tools-version: 6.1

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "coffer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "coffer", targets: ["coffer"]),
        .library(name: "CofferServer", targets: ["CofferServer"]),
        .library(name: "CofferClient", targets: ["CofferClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Domain values, validation and resolution: pure Swift and Foundation.
        .target(name: "CofferCore", swiftSettings: swiftSettings),
        .target(
            name: "CofferCrypto",
            dependencies: [
                "CofferCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The write rules, written once, over a small driver protocol; the memory driver; group commit.
        .target(
            name: "CofferStore",
            dependencies: [
                "CofferCore",
                "CofferCrypto",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Drivers: schema, migrations, rows. No rules.
        .target(
            name: "CofferSQLite",
            dependencies: [
                "CofferCore",
                "CofferCrypto",
                "CofferStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CofferPostgres",
            dependencies: [
                "CofferCore",
                "CofferCrypto",
                "CofferStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Store-to-store copy and its verification (coffer migrate).
        .target(
            name: "CofferMigration",
            dependencies: [
                "CofferCore",
                "CofferCrypto",
                "CofferPostgres",
                "CofferSQLite",
                "CofferStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CofferAPI", dependencies: ["CofferCore"], swiftSettings: swiftSettings),
        // The web console's static files (HTML, JS modules, CSS), compiled into the binary: nothing to install or find at run time.
        .target(name: "CofferConsole", resources: [.embedInCode("Assets")], swiftSettings: swiftSettings),
        // HTTP only: routes, middleware, caches. No driver.
        .target(
            name: "CofferServer",
            dependencies: [
                "CofferAPI",
                "CofferConsole",
                "CofferCore",
                "CofferCrypto",
                "CofferStore",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Start-up: the data directory, master key files, opening a store, key rotation orchestration.
        .target(
            name: "CofferRuntime",
            dependencies: [
                "CofferCore",
                "CofferCrypto",
                "CofferPostgres",
                "CofferServer",
                "CofferSQLite",
                "CofferStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CofferClient",
            dependencies: [
                "CofferAPI",
                "CofferCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "coffer",
            dependencies: [
                "CofferAPI",
                "CofferClient",
                "CofferCore",
                "CofferCrypto",
                "CofferMigration",
                "CofferPostgres",
                "CofferRuntime",
                "CofferServer",
                "CofferSQLite",
                "CofferStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CofferTestSupport",
            dependencies: [],
            path: "Tests/CofferTestSupport",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CofferPostgresTestSupport",
            dependencies: [
                "CofferCrypto",
                "CofferPostgres",
                "CofferStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/CofferPostgresTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CofferCoreTests",
            dependencies: [
                "CofferCore",
                "CofferTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CofferCryptoTests", dependencies: ["CofferCrypto", "CofferCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CofferStoreTests",
            dependencies: [
                "CofferCore",
                "CofferCrypto",
                "CofferMigration",
                "CofferPostgres",
                "CofferPostgresTestSupport",
                "CofferSQLite",
                "CofferStore",
                "CofferTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CofferAPITests", dependencies: ["CofferAPI", "CofferCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CofferServerTests",
            dependencies: [
                "CofferAPI",
                "CofferConsole",
                "CofferCore",
                "CofferCrypto",
                "CofferPostgres",
                "CofferPostgresTestSupport",
                "CofferRuntime",
                "CofferServer",
                "CofferSQLite",
                "CofferStore",
                "CofferTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CofferClientTests",
            dependencies: [
                "CofferAPI",
                "CofferClient",
                "CofferCore",
                "CofferRuntime",
                "CofferServer",
                "CofferSQLite",
                "CofferStore",
                "CofferTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "cofferTests",
            dependencies: [
                "coffer",
                "CofferClient",
                "CofferCore",
                "CofferCrypto",
                "CofferMigration",
                "CofferPostgres",
                "CofferPostgresTestSupport",
                "CofferRuntime",
                "CofferServer",
                "CofferSQLite",
                "CofferStore",
                "CofferTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
