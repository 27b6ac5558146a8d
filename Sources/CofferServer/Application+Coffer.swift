import CofferCore
import CofferStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the HTTP application over a store: every route, the error envelope and authentication.
/// `onServerRunning` receives the bound address (useful with port 0).
public func buildApplication(
    configuration: ServerConfiguration,
    store: any SecretStore,
    logger: Logger = Logger(label: "coffer"),
    onServerRunning: @escaping @Sendable (String, Int) async -> Void = { _, _ in }
) -> some ApplicationProtocol {
    buildApplication(
        configuration: configuration,
        store: store,
        services: [],
        logger: logger,
        beforeServerStarts: {},
        onServerRunning: onServerRunning
    )
}

/// Builds the HTTP application over a store with services of its own.
/// `services` run beside the server for its whole life (a PostgreSQL store's connection pool); `beforeServerStarts`
/// runs once they have started and before the server listens (opening that store). `onServerRunning` receives the
/// bound address (useful with port 0). A store shared with other replicas (`ChangeNotifyingStore`) also gets its
/// change listener as a service, so that writes through any replica drop what this one cached.
public func buildApplication(
    configuration: ServerConfiguration,
    store: any SecretStore,
    services: [any Service],
    logger: Logger = Logger(label: "coffer"),
    beforeServerStarts: @escaping @Sendable () async throws -> Void,
    onServerRunning: @escaping @Sendable (String, Int) async -> Void = { _, _ in }
) -> some ApplicationProtocol {
    let caches = ServerCaches(store: store, configuration: configuration)
    var services = services
    services.append(
        HistoryPruner(
            // Through the cache, so answers of versions it drops go with them.
            store: InvalidatingStore(base: store, snapshots: caches.snapshots, changes: caches.changes), keepVersions: configuration.keepVersions,
            keepDeleted: configuration.keepDeleted,
            interval: configuration.historySweepInterval, logger: logger
        )
    )
    var prepare = beforeServerStarts
    if let shared = store as? any ChangeNotifyingStore {
        let invalidator = CacheInvalidator(snapshots: caches.snapshots, tokens: caches.tokens, changes: caches.changes)
        services.append(shared.changeListener(notifying: invalidator))
        prepare = {
            try await beforeServerStarts()
            try await invalidator.waitUntilListening(timeout: .seconds(10))
        }
    }
    var application = Application(
        router: buildRouter(configuration: configuration, store: store, caches: caches),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Coffer"),
        services: services,
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.ipAddress ?? configuration.host, channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
    application.beforeServerStarts(perform: prepare)
    return application
}

/// The router alone, for `app.test(.router)` and embedding.
public func buildRouter(configuration: ServerConfiguration, store: any SecretStore) -> Router<APIContext> {
    buildRouter(configuration: configuration, store: store, caches: ServerCaches(store: store, configuration: configuration))
}

func buildRouter(configuration: ServerConfiguration, store baseStore: any SecretStore, caches: ServerCaches) -> Router<APIContext> {
    let snapshots = caches.snapshots
    let tokens = caches.tokens
    let store = InvalidatingStore(base: baseStore, snapshots: snapshots, changes: caches.changes)
    let router = Router(context: APIContext.self)
    if configuration.metrics != nil {
        // Hummingbird's: request counts and durations by route template (never a raw path) and status. Outermost, so
        // it counts the status the error middleware answers.
        router.add(middleware: MetricsMiddleware())
    }
    router.add(middleware: ErrorMiddleware())
    router.add(
        middleware: RequestLimitsMiddleware(
            maximumTargetBytes: configuration.maximumTargetBytes,
            maximumHeaderBytes: configuration.maximumHeaderBytes
        )
    )
    var authentication = AuthMiddleware(store: store, tokens: tokens)
    if configuration.metrics?.isPublic == true { authentication.openPaths.insert("/metrics") }
    router.add(middleware: authentication)
    if let rateLimit = configuration.rateLimit { router.add(middleware: RateLimitMiddleware(limit: rateLimit)) }
    let bodyParser = RequestBodyParser(maximumBytes: configuration.maximumRequestBodyBytes)
    HealthController(store: store).addRoutes(to: router)
    OpenAPIDocument.addRoutes(to: router, limits: configuration.limits, metrics: configuration.metrics)
    ConsoleController().addRoutes(to: router)
    if let metrics = configuration.metrics {
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }
    for prefix in ["/v1", "/v1/teams/:teamId"] {
        let group = router.group(RouterPath(prefix))
        ProjectsController(store: store, bodyParser: bodyParser).addRoutes(to: group)
        TokensController(store: store, bodyParser: bodyParser, tokens: tokens).addRoutes(to: group)
        AuditController(store: store).addRoutes(to: group)
        SecretGroupsController(store: store, snapshots: snapshots, bodyParser: bodyParser, limits: configuration.limits).addRoutes(to: group)
        AddonLinksController(store: store, bodyParser: bodyParser).addRoutes(to: group)
        HistoryController(store: store, snapshots: snapshots, bodyParser: bodyParser).addRoutes(to: group)
        ChangeSetsController(
            store: store, bodyParser: RequestBodyParser(maximumBytes: configuration.maximumChangeSetBytes), limits: configuration.limits
        ).addRoutes(to: group)
        ChangesController(
            store: store, changes: caches.changes, keepChanges: configuration.keepChanges, slowConsumerTimeout: configuration.slowConsumerTimeout
        ).addRoutes(to: group)
        for kind in AddonKind.allCases {
            AddonsController(store: store, bodyParser: bodyParser, limits: configuration.limits, kind: kind).addRoutes(to: group)
        }
        for kind in WorkloadKind.allCases {
            WorkloadsController(
                store: store, snapshots: snapshots, bodyParser: bodyParser, limits: configuration.limits, kind: kind, changes: caches.changes
            ).addRoutes(to: group)
        }
    }
    return router
}
