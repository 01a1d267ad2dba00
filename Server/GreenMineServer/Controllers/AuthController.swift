import Foundation
import GreenMineShared
import Hummingbird

/// `/v1/auth/*` and `/v1/me`.
struct AuthController {
    let auth: AuthService
    let accounts: any AccountStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/auth/login") { request, context in
            let body = try await JSONBody.decode(LoginRequest.self, from: request, limit: 16 * 1024)
            let response = try await auth.login(username: body.username, password: body.password,
                                                address: context.addressKey)
            return JSONBody.response(response)
        }
        router.post("/v1/auth/logout") { _, context in
            let user = try context.requireUser(allowingPasswordChange: true)
            try await auth.logout(user)
            return Response(status: .noContent)
        }
        router.post("/v1/auth/password") { request, context in
            let user = try context.requireUser(allowingPasswordChange: true)
            let body = try await JSONBody.decode(PasswordChangeRequest.self, from: request, limit: 16 * 1024)
            let response = try await auth.changePassword(user, current: body.currentPassword, new: body.newPassword,
                                                         address: context.addressKey)
            return JSONBody.response(response)
        }
        router.get("/v1/me") { _, context in
            let user = try context.requireUser(allowingPasswordChange: true)
            return JSONBody.response(user.info)
        }
    }
}
