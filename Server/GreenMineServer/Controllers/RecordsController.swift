import Foundation
import GreenMineShared
import Hummingbird

/// `/v1/records/{id}/history`, `/v1/licenses`, `/v1/licenses/{number}`, `/v1/agencies`, `/v1/certificates/{id}`, `/v1/keys`,
/// `/v1/admin/users/{id}/reset-password` and `/healthz`.
struct RecordsController {
    let sync: SyncService
    let registry: any RegistryStore
    let admin: AdminService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/records/:id/history") { _, context in
            let user = try context.requireUser()
            guard let text = context.parameters.get("id"), let id = UUID(text: text) else {
                throw ServiceError(.badRequest, code: "bad_id", en: "the record id must be a UUID",
                                   zh: "记录标识须为 UUID")
            }
            return JSONBody.response(HistoryResponse(events: try await sync.history(of: id, user: user)))
        }
        router.get("/v1/licenses") { _, context in
            let user = try context.requireUser()
            guard let org = user.info.orgId else { return JSONBody.response(LicencesResponse(licences: [])) }
            return JSONBody.response(LicencesResponse(licences: try await registry.licences(creditCode: org)))
        }
        router.get("/v1/agencies") { _, context in
            let user = try context.requireUser()
            return JSONBody.response(AgenciesResponse(agencies: try await admin.agencies(for: user)))
        }
        router.get("/v1/licenses/:number") { _, context in
            _ = try context.requireUser()
            let number = context.parameters.get("number") ?? ""
            guard let info = try await registry.licence(number.trimmingCharacters(in: .whitespaces)) else {
                throw ServiceError(.notFound, code: "licence_unknown",
                                   en: "the licence registry has no licence \(number)",
                                   zh: "采矿许可证号 \(number) 在配号系统中不存在")
            }
            return JSONBody.response(info)
        }
        router.get("/v1/certificates/:id") { _, context in
            let user = try context.requireUser()
            guard let text = context.parameters.get("id"), let id = UUID(text: text) else {
                throw ServiceError(.badRequest, code: "bad_id", en: "the certificate id must be a UUID",
                                   zh: "证书标识须为 UUID")
            }
            return JSONBody.response(try await sync.certificate(id, user: user))
        }
        router.get("/v1/keys") { _, context in
            _ = try context.requireUser(allowingPasswordChange: true)
            return JSONBody.response(sync.keys)
        }
        router.post("/v1/admin/users/:id/reset-password") { _, context in
            let user = try context.requireUser()
            let target = context.parameters.get("id") ?? ""
            return JSONBody.response(try await admin.resetPassword(by: user, userId: target))
        }
        router.get("/healthz") { _, _ in
            JSONBody.response(HealthResponse(status: "ok", version: ProductVersion.current))
        }
    }
}
