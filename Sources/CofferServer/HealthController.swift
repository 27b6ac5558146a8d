import CofferAPI
import CofferStore
import Hummingbird

/// `GET /v1/health`: a no-op route, open without a token, that also serves as the benchmarks' baseline (liveness).
/// `GET /v1/ready`: open too; 200 while the store answers a query (it was opened with the master key before the server
/// listened), 503 with the error envelope while it does not (a database down or out of connections), for load balancers
/// and Kubernetes' readiness probe.
struct HealthController {
    let store: any SecretStore

    func addRoutes(to router: Router<APIContext>) {
        let body = Health(status: "ok", store: store.kind)
        router.get("/v1/health") { _, _ in JSONResponse.make(DataEnvelope(data: body)) }
        let ready = Health(status: "ready", store: store.kind)
        router.get("/v1/ready") { _, _ in
            do {
                _ = try await store.isEmpty()
            } catch {
                throw APIError(.serviceUnavailable, "Not ready: the store does not answer; retry shortly")
            }
            return JSONResponse.make(DataEnvelope(data: ready))
        }
    }
}
