import Foundation
import GRDB
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import GreenMineServer

/// A clock the tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) {
        current = start
    }

    var now: Date {
        lock.withLock { current }
    }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// Deterministic ids and "random" bytes (SplitMix64 from a fixed seed), safe to share between tasks.
final class TestEntropy: @unchecked Sendable {
    private let lock = NSLock()
    private var state: UInt64
    private var idCounter: UInt64 = 0

    init(seed: UInt64) {
        state = seed
    }

    func next() -> UInt64 {
        lock.withLock {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            withUnsafeBytes(of: next().littleEndian) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
    }

    /// 00000000-0000-4000-8000-<counter>: readable and ordered.
    func id() -> UUID {
        let n = lock.withLock { idCounter += 1; return idCounter }
        return UUID(uuidString: String(format: "00000000-0000-4000-8000-%012llx", n))!
    }
}

/// The row counts of every table a push writes; equal before and after means nothing was written.
struct TableCounts: Equatable, CustomStringConvertible {
    var records = 0
    var versions = 0
    var changes = 0
    var audit = 0
    var results = 0
    var clients = 0

    /// The counts of what a mutation's effect writes (not its stored result or client row).
    var writes: [Int] { [records, versions, changes, audit] }

    var description: String {
        "records \(records), versions \(versions), changes \(changes), audit \(audit), results \(results), clients \(clients)"
    }
}

/// One server over a fresh database of the harness backend (`TestBackend.harness`: SQLite, or
/// PostgreSQL when `GREENMINE_TEST_BACKEND=postgres`) and its own temp directory for blobs, seeded with
/// the demo data set, with an injected clock, deterministic ids and randomness, and the cheap KDF.
final class Harness: Sendable {
    /// 2026-12-01T08:30:00Z: the demo licences are valid then.
    static let start = Date(timeIntervalSince1970: 1_796_113_800)
    /// An agency besides the demo one (serving every province).
    static let otherAgency = "另一家评估机构"

    let directory: URL
    /// The database the services run on.
    let backend: OpenedBackend
    /// The blob folder the services keep files in.
    var blobs: BlobDirectory { BlobDirectory(dataDirectory: directory) }
    let services: AppServices
    let clock: TestClock
    let entropy: TestEntropy
    /// The demo accounts' passwords, by username.
    let passwords: [String: String]

    init(tokenLifetime: TimeInterval = 3600, throttle: (any LoginThrottling)? = nil, seed: UInt64 = 42,
         backend: TestBackend = .harness, trustedProxies: Set<String> = []) async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("greenmine-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let backend = try await backend.open()
        self.backend = backend
        let clock = TestClock(Self.start)
        let entropy = TestEntropy(seed: seed)
        self.clock = clock
        self.entropy = entropy
        let environment = ServerEnvironment(now: { clock.now }, newId: { entropy.id() },
                                            randomBytes: { entropy.bytes($0) })
        services = try await AppServices(storage: backend.storage, environment: environment, hasher: .fastForTests,
                               throttle: throttle, tokenLifetime: tokenLifetime,
                               blobs: BlobDirectory(dataDirectory: directory), trustedProxies: trustedProxies)
        let accounts = try await DemoData.seed(AdminService(services: services), services: services)
        // A second agency, which the tests assign applications to and give an assessor.
        _ = try await AdminService(services: services).addAgency(name: Self.otherAgency)
        passwords = Dictionary(uniqueKeysWithValues: accounts.map { ($0.username, $0.password) })
        try await addBlob(Sample.imageSHA, size: 2048, mime: "image/jpeg")
        try await addBlob(Sample.pdfSHA, size: 4096, mime: "application/pdf")
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        let close = backend.close
        Task { await close() }
    }

    /// The SQLite database, for the tests of SQLite's own migrations (nil on PostgreSQL).
    var sqlite: DatabasePool? { backend.sqlite }

    /// The application on the router (`.router` and `.live` tests).
    var app: some ApplicationProtocol {
        Application(router: buildRouter(services))
    }

    /// Runs `body` against the router with an API client.
    func withAPI<T: Sendable>(_ setup: TestingSetup = .router, _ body: @escaping @Sendable (API) async throws -> T)
        async throws -> T {
        try await app.test(setup) { client in try await body(API(client: client)) }
    }

    /// A fresh token for a demo account, from the auth service.
    func token(_ username: String) async throws -> String {
        let password = try #require(passwords[username])
        return try await services.auth.login(username: username, password: password, address: "setup").token
    }

    /// The user behind a token.
    func user(_ token: String) async throws -> AuthenticatedUser {
        try await services.auth.authenticate(token: token)
    }

    /// Puts a complete blob row in place, as a finished upload would.
    func addBlob(_ sha256: String, size: Int, mime: String) async throws {
        try await backend.execute("INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)",
                                  [.text(sha256), .integer(size), .text(mime), .real(clock.now.timeIntervalSince1970)])
        // As if every account had uploaded these bytes (a file only its uploader's organisation
        // may attach: `ownBlob` below makes one of those).
        try await backend.execute("INSERT INTO blob_owners (sha256, user_id) SELECT ?, id FROM users", [.text(sha256)])
    }

    /// Makes accounts added after the sample blobs their uploaders too (as `addBlob` does for those before).
    func shareSampleBlobs() async throws {
        for sha256 in [Sample.imageSHA, Sample.pdfSHA] {
            try await backend.execute("""
                INSERT INTO blob_owners (sha256, user_id) SELECT ?, id FROM users WHERE true ON CONFLICT DO NOTHING
                """, [.text(sha256)])
        }
    }

    /// Puts a complete blob row in place as uploaded by `username` alone.
    func ownBlob(_ sha256: String, size: Int, mime: String, by username: String) async throws {
        try await backend.execute("INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)",
                                  [.text(sha256), .integer(size), .text(mime), .real(clock.now.timeIntervalSince1970)])
        try await backend.execute("INSERT INTO blob_owners (sha256, user_id) SELECT ?, id FROM users WHERE username = ?",
                                  [.text(sha256), .text(username)])
    }

    func counts() async throws -> TableCounts {
        func count(_ table: String) async throws -> Int {
            try await backend.value("SELECT count(*) FROM \(table)") ?? 0
        }
        return TableCounts(records: try await count("records"), versions: try await count("record_versions"),
                           changes: try await count("change_log"), audit: try await count("audit_events"),
                           results: try await count("mutation_results"), clients: try await count("clients"))
    }

    /// The stored versions of a record, in order.
    func versions(of id: UUID) async throws -> [Int] {
        try await backend.column("SELECT version FROM record_versions WHERE record_id = ? ORDER BY version",
                                 [.text(id.uuidString)], as: Int.self).compactMap { $0 }
    }

    /// The current server copy of a record, whoever may see it.
    func stored(_ id: UUID) async throws -> GreenMineShared.Record? {
        try await backend.value("SELECT body FROM records WHERE id = ?", [.text(id.uuidString)], as: String.self)
            .map { try WireCoding.decode(GreenMineShared.Record.self, from: Data($0.utf8)) }
    }

    /// The number of audit events of a record.
    func auditCount(_ id: UUID) async throws -> Int {
        try await backend.value("SELECT count(*) FROM audit_events WHERE record_id = ?", [.text(id.uuidString)]) ?? 0
    }
}

/// Complete, valid field sets (Shared `SampleFiling`) for region 130102, the demo licence 1 and organisation 1.
enum Sample {
    static let region = DemoData.counties[0]
    static let imageSHA = String(repeating: "ab", count: 32)
    static let pdfSHA = String(repeating: "cd", count: 32)

    static func preApplicationFields(region: String = region, licence: String = DemoData.licence(1))
        -> [String: JSONValue] {
        SampleFiling.preApplication.merging(["basic.region": .string(region), "basic.licenceNumber": .string(licence)]) { $1 }
    }

    static func applicationFields(region: String = region, licence: String = DemoData.licence(1),
                                  creditCode: String = DemoData.creditCode(1)) -> [String: JSONValue] {
        SampleFiling.application(region: region, licence: licence, creditCode: creditCode)
    }
}

/// One client installation: its id and the next seq, so batches are gapless like a real outbox.
struct Device: Sendable {
    let clientId: UUID
    private(set) var nextSeq = 1
    /// The device's clock (offline time), kept apart from the server's.
    var deviceTime = Date(timeIntervalSince1970: 1_796_000_000)

    init(clientId: UUID = UUID()) {
        self.clientId = clientId
    }

    private mutating func make(_ recordId: UUID, _ kind: RecordKind, _ op: MutationOp, base: Int? = nil,
                               set: [String: JSONValue]? = nil, transition: Transition? = nil,
                               comment: String? = nil, agency: String? = nil, parent: UUID? = nil,
                               attachment: MutationAttachment? = nil) -> Mutation {
        defer { nextSeq += 1 }
        deviceTime = deviceTime.addingTimeInterval(60)
        return Mutation(seq: nextSeq, recordId: recordId, kind: kind, op: op, baseVersion: base, set: set,
                        transition: transition, comment: comment, agency: agency, parentId: parent,
                        attachment: attachment, deviceTime: deviceTime)
    }

    mutating func create(_ kind: RecordKind, id: UUID = UUID(), set: [String: JSONValue],
                         parent: UUID? = nil) -> Mutation {
        make(id, kind, .create, set: set, parent: parent)
    }

    mutating func patch(_ id: UUID, _ kind: RecordKind, base: Int?, set: [String: JSONValue]) -> Mutation {
        make(id, kind, .patch, base: base, set: set)
    }

    mutating func patch(_ record: GreenMineShared.Record, set: [String: JSONValue]) -> Mutation {
        patch(record.id, record.kind, base: record.version, set: set)
    }

    mutating func transition(_ id: UUID, _ kind: RecordKind, base: Int?, _ transition: Transition,
                             comment: String? = nil, agency: String? = nil) -> Mutation {
        make(id, kind, .transition, base: base, transition: transition, comment: comment, agency: agency)
    }

    mutating func transition(_ record: GreenMineShared.Record, _ transition: Transition, comment: String? = nil,
                             agency: String? = nil) -> Mutation {
        self.transition(record.id, record.kind, base: record.version, transition, comment: comment, agency: agency)
    }

    mutating func attach(_ record: GreenMineShared.Record, slot: String, sha256: String, name: String = "照片.jpg")
        -> Mutation {
        make(record.id, record.kind, .attach, base: record.version,
             attachment: MutationAttachment(slot: slot, sha256: sha256, name: name))
    }

    mutating func delete(_ record: GreenMineShared.Record) -> Mutation {
        make(record.id, record.kind, .delete, base: record.version)
    }

    /// A mutation with an explicit seq (for gap and replay tests); does not move the counter.
    func raw(seq: Int, _ recordId: UUID, _ kind: RecordKind, _ op: MutationOp, base: Int? = nil,
             set: [String: JSONValue]? = nil) -> Mutation {
        Mutation(seq: seq, recordId: recordId, kind: kind, op: op, baseVersion: base, set: set,
                 deviceTime: deviceTime)
    }

    func request(_ mutations: [Mutation]) -> PushRequest {
        PushRequest(clientId: clientId, mutations: mutations)
    }
}

/// The JSON API through a HummingbirdTesting client.
struct API: Sendable {
    let client: any TestClientProtocol

    static func headers(_ token: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        fields[.contentType] = "application/json"
        return fields
    }

    /// One request; the body is sent as given.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: Data? = nil,
              headers: HTTPFields? = nil) async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: headers ?? Self.headers(token),
                                 body: body.map { ByteBuffer(bytes: $0) })
    }

    /// One request with a value encoded by the wire coding.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: some Encodable)
        async throws -> TestResponse {
        try await send(method, uri, token: token, body: try WireCoding.encode(json))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try WireCoding.decode(type, from: Data(response.body.readableBytesView))
    }

    /// The error envelope of a failed response.
    static func error(_ response: TestResponse) throws -> APIErrorDetail {
        try decode(APIErrorBody.self, response).error
    }

    /// Expects a refusal with this status and code; returns its detail.
    @discardableResult
    static func expectError(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> APIErrorDetail {
        #expect(response.status == status, "body: \(String(buffer: response.body))", sourceLocation: sourceLocation)
        let detail = try #require(try? error(response), "not an error envelope: \(String(buffer: response.body))",
                                  sourceLocation: sourceLocation)
        #expect(detail.code == code, "message: \(detail.message)", sourceLocation: sourceLocation)
        #expect(!detail.message.isEmpty, sourceLocation: sourceLocation)
        return detail
    }

    func login(_ username: String, _ password: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> LoginResponse {
        let response = try await send(.post, "/v1/auth/login", json: LoginRequest(username: username, password: password))
        try #require(response.status == .ok, "login failed: \(String(buffer: response.body))",
                     sourceLocation: sourceLocation)
        return try Self.decode(LoginResponse.self, response)
    }

    /// A push that must answer 200.
    func push(_ token: String, _ request: PushRequest, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> PushResponse {
        let response = try await send(.post, "/v1/sync/push", token: token, json: request)
        try #require(response.status == .ok, "push failed: \(String(buffer: response.body))",
                     sourceLocation: sourceLocation)
        return try Self.decode(PushResponse.self, response)
    }

    /// Pushes one mutation and returns its result.
    func push1(_ token: String, _ device: Device, _ mutation: Mutation,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> MutationResult {
        let response = try await push(token, device.request([mutation]), sourceLocation: sourceLocation)
        return try #require(response.results.first, sourceLocation: sourceLocation)
    }

    /// Pushes one mutation that must be applied; returns the record after it.
    func apply(_ token: String, _ device: Device, _ mutation: Mutation,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> GreenMineShared.Record {
        let result = try await push1(token, device, mutation, sourceLocation: sourceLocation)
        try #require(result.status == .applied, "\(mutation.op) \(mutation.transition?.rawValue ?? ""): \(result.status) \(result.error?.code ?? "") \(result.error?.message ?? "")",
                     sourceLocation: sourceLocation)
        return try #require(result.record, sourceLocation: sourceLocation)
    }

    /// Pushes one mutation that must be rejected with this code.
    @discardableResult
    func expectRejected(_ token: String, _ device: Device, _ mutation: Mutation, _ code: String,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> MutationResult {
        let result = try await push1(token, device, mutation, sourceLocation: sourceLocation)
        #expect(result.status == .rejected, sourceLocation: sourceLocation)
        #expect(result.error?.code == code, "message: \(result.error?.message ?? "none")",
                sourceLocation: sourceLocation)
        #expect(result.record == nil, sourceLocation: sourceLocation)
        return result
    }

    func pullResponse(_ token: String?, after: String? = nil, limit: Int? = nil, clientId: UUID? = nil)
        async throws -> TestResponse {
        var query: [String] = []
        if let after { query.append("after=\(after)") }
        if let limit { query.append("limit=\(limit)") }
        if let clientId { query.append("clientId=\(clientId.uuidString)") }
        let uri = "/v1/sync/pull" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        return try await send(.get, uri, token: token)
    }

    /// One page that must answer 200.
    func pull(_ token: String, after: String? = nil, limit: Int? = nil, clientId: UUID? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> PullResponse {
        let response = try await pullResponse(token, after: after, limit: limit, clientId: clientId)
        try #require(response.status == .ok, "pull failed: \(String(buffer: response.body))",
                     sourceLocation: sourceLocation)
        return try Self.decode(PullResponse.self, response)
    }

    /// Every page from `after` on: the records (latest per id), everything gone, and the last cursor.
    func pullAll(_ token: String, after: String? = nil, limit: Int = 1000,
                 sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> (records: [UUID: GreenMineShared.Record], gone: Set<UUID>, cursor: String) {
        var records: [UUID: GreenMineShared.Record] = [:]
        var gone = Set<UUID>()
        var cursor = after
        for _ in 0..<1000 {
            let page = try await pull(token, after: cursor, limit: limit, sourceLocation: sourceLocation)
            for record in page.records {
                records[record.id] = record
                gone.remove(record.id)
            }
            for id in page.gone {
                records[id] = nil
                gone.insert(id)
            }
            cursor = page.cursor
            if !page.more { break }
        }
        return (records, gone, cursor ?? "")
    }

    /// The ids a user sees from scratch.
    func visibleIds(_ token: String) async throws -> Set<UUID> {
        Set(try await pullAll(token).records.keys)
    }

    func history(_ token: String, _ id: UUID) async throws -> TestResponse {
        try await send(.get, "/v1/records/\(id.uuidString)/history", token: token)
    }
}

/// Multi-step scenarios through pushes, as the client would send them.
extension API {
    /// Creates a complete pre-application with its image attached (draft).
    func draftPreApplication(_ token: String, _ device: inout Device, region: String = Sample.region,
                             licence: String = DemoData.licence(1)) async throws -> GreenMineShared.Record {
        let created = try await apply(token, device, device.create(
            .preApplication, set: Sample.preApplicationFields(region: region, licence: licence)))
        return try await apply(token, device, device.attach(created, slot: "pre.image", sha256: Sample.imageSHA))
    }

    /// A complete pre-application, submitted.
    func submittedPreApplication(_ token: String, _ device: inout Device, region: String = Sample.region,
                                 licence: String = DemoData.licence(1)) async throws -> GreenMineShared.Record {
        let draft = try await draftPreApplication(token, &device, region: region, licence: licence)
        return try await apply(token, device, device.transition(draft, .submit))
    }

    /// Province accepts and approves a submitted pre-application.
    /// Demo enterprise 1's application taken through acceptance and assignment to the demo agency,
    /// then scored with `share` of every sample item's maximum and submitted by its assessor
    /// (`afterAssignment` runs in between); returns the application, `assessed`.
    func assessedApplication(_ harness: Harness, share: Double,
                             afterAssignment: (GreenMineShared.Record) async throws -> Void = { _ in })
        async throws -> GreenMineShared.Record {
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        let assessor = try await harness.token("demo-assessor")
        var ent = Device()
        var prov = Device()
        var agency = Device()
        let pre = try await submittedPreApplication(enterprise, &ent)
        _ = try await approvedByProvince(pre, province: province, &prov)
        let application = try await submittedApplication(enterprise, &ent)
        let accepted = try await apply(province, prov, prov.transition(application, .accept))
        let assigned = try await apply(province, prov, prov.transition(accepted, .assign, agency: DemoData.agency))
        try await afterAssignment(assigned)
        _ = try await scoredWithReport(assessor, &agency, application: application.id, share: share)
        return try await apply(assessor, agency, agency.transition(assigned, .completeAssessment))
    }

    /// The assessor's assessment of `application`, every sample item at `share` of its maximum, with
    /// the sample PDF attached as its report (issue 14: no report, no `completeAssessment`).
    @discardableResult
    func scoredWithReport(_ assessor: String, _ agency: inout Device, application: UUID, share: Double)
        async throws -> GreenMineShared.Record {
        let assessment = try await apply(assessor, agency, agency.create(
            .assessment, set: WorkflowPathTests.assessmentFields(share: share), parent: application))
        return try await apply(assessor, agency, agency.attach(assessment, slot: "assessment.report",
                                                               sha256: Sample.pdfSHA, name: "评估报告.pdf"))
    }

    func approvedByProvince(_ record: GreenMineShared.Record, province: String, _ device: inout Device)
        async throws -> GreenMineShared.Record {
        let accepted = try await apply(province, device, device.transition(record, .accept))
        return try await apply(province, device, device.transition(accepted, .approve))
    }

    /// A complete application, submitted (its pre-application must be approved).
    func submittedApplication(_ token: String, _ device: inout Device, licence: String = DemoData.licence(1))
        async throws -> GreenMineShared.Record {
        let created = try await apply(token, device, device.create(
            .application, set: Sample.applicationFields(licence: licence)))
        return try await apply(token, device, device.transition(created, .submit))
    }
}
