import Foundation
import Hummingbird
import Testing
@testable import GreenMineServer

/// Keeps docs/openapi.yaml true to the code: every route the router registers is described there.
struct OpenAPITests {
    static let specURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.yaml")

    /// The methods the spec lists under each path.
    static func documentedRoutes() throws -> Set<String> {
        let text = try String(contentsOf: specURL, encoding: .utf8)
        var routes = Set<String>()
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if !line.hasPrefix(" ") {
                currentPath = nil
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(method) {
                    routes.insert("\(method) \(path)")
                }
            }
        }
        return routes
    }

    @Test func everyRouteIsDocumentedAndNothingElse() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try ServerDatabase.open(path: directory.appendingPathComponent("db.sqlite").path)
        let router = buildRouter(try await AppServices(storage: .sqlite(database), hasher: .fastForTests))
        // The web console (`/console/…`), the public verification page (`/verify/…`) and the public
        // directory (`/directory`, `/directory.csv`) answer HTML (or CSV), and `/` sends to the console, for
        // browsers, not JSON for clients: they are not part of the API that docs/openapi.yaml describes
        // (ConsoleTests covers them).
        let apiRoutes = router.routes.filter { route in
            let first = route.path.description.split(separator: "/").first.map(String.init) ?? ""
            return !first.isEmpty && first != "console" && first != "verify" && first != "directory"
                && first != "directory.csv"
        }
        let registered = Set(apiRoutes.map { route in
            let path = route.path.description.split(separator: "/").map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
        let documented = try Self.documentedRoutes()
        #expect(!registered.isEmpty)
        #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented))")
        #expect(documented.subtracting(registered).isEmpty, "documented but absent: \(documented.subtracting(registered))")
    }
}
