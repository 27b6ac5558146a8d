import CofferPostgres
import Logging
import Metrics
import Prometheus
import Testing

/// `coffer_database_available`: 1 while calls reach PostgreSQL, 0 from the first failed call of an outage until the
/// next call that reaches it, as Prometheus scrapes it.
@Suite struct DatabaseAvailabilityMetricTests {
    static func scraped(_ registry: PrometheusCollectorRegistry) -> String? {
        String(decoding: registry.emitToBuffer(), as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix("coffer_database_available ") }.map(String.init)
    }

    @Test func theGaugeFollowsTheOutageAndTheRecovery() {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let availability = DatabaseAvailability(gauge: Gauge(label: "coffer_database_available", factory: factory))
        let logger = Logger(label: "test")
        #expect(Self.scraped(registry) == "coffer_database_available 1.0")
        availability.failed(reason: "connection refused (127.0.0.1:5432)", logger: logger)
        #expect(Self.scraped(registry) == "coffer_database_available 0.0")
        availability.failed(reason: "connection refused (127.0.0.1:5432)", logger: logger)
        #expect(Self.scraped(registry) == "coffer_database_available 0.0")
        availability.succeeded(logger: logger)
        #expect(Self.scraped(registry) == "coffer_database_available 1.0")
        // The reason (which may name a host) is never a label.
        #expect(!String(decoding: registry.emitToBuffer(), as: UTF8.self).contains("5432"))
    }
}
