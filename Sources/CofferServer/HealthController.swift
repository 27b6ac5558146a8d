import CofferAPI
import CofferStore
import Hummingbird

/// `GET /v1/health`: a no-op route, open without a token, that also serves as the benchmarks' baseline.
struct HealthController {
    let store: any SecretStore

    func addRoutes(to router: Router<APIContext>) {
        let body = Health(status: "ok", store: store.kind)
        router.get("/v1/health") { _, _ in JSONResponse.make(DataEnvelope(data: body)) }
    }
}
