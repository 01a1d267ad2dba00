import GreenMineShared
import Hummingbird

/// `GET /v1/portal`: the support contact and the downloads the caller's home page shows (issue 14);
/// the files themselves are read through `GET /v1/blobs/{sha256}`.
struct PortalController {
    let portal: PortalService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/portal") { _, context in
            let user = try context.requireUser()
            return JSONBody.response(try await portal.portal(for: user))
        }
    }
}
