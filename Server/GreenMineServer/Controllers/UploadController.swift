import Foundation
import GreenMineShared
import Hummingbird

/// The tus 1.0.0 endpoints under `/v1/uploads` and the blob reads under `/v1/blobs/{sha256}` (an
/// attachment's, or a file the portal publishes to the reader).
struct UploadController {
    let uploads: UploadService
    let portal: PortalService
    static let tusVersion = "1.0.0"

    func addRoutes(to router: Router<AppRequestContext>) {
        let tus = router.group("/v1/uploads").add(middleware: TusMiddleware())
        tus.on("", method: .options) { _, _ in
            var headers = HTTPFields()
            headers[.tusVersion] = Self.tusVersion
            headers[.tusExtension] = "creation,expiration,termination,checksum"
            headers[.tusMaxSize] = String(AttachmentRules.maxBytes)
            headers[.tusChecksumAlgorithm] = UploadChecksum.Algorithm.allCases.map(\.rawValue).joined(separator: ",")
            return Response(status: .noContent, headers: headers)
        }
        tus.post("") { request, context in
            let user = try context.requireUser()
            guard request.headers[.uploadDeferLength] == nil else {
                throw ServiceError(.badRequest, code: "defer_length_unsupported",
                                   en: "Upload-Defer-Length is not supported; send Upload-Length",
                                   zh: "不支持 Upload-Defer-Length，请提供 Upload-Length")
            }
            guard let text = request.headers[.uploadLength], let length = Int64(text), length >= 0 else {
                throw ServiceError(.badRequest, code: "upload_length_required",
                                   en: "Upload-Length must be a non-negative integer", zh: "缺少有效的 Upload-Length")
            }
            let metadata = try Self.parseMetadata(request.headers[.uploadMetadata] ?? "")
            let upload = try await uploads.create(user: user, length: length, metadata: metadata)
            var headers = HTTPFields()
            headers[.location] = "/v1/uploads/\(upload.id.wireString)"
            headers[.uploadExpires] = Self.httpDate(upload.expiresAt)
            return Response(status: .created, headers: headers)
        }
        tus.head(":id") { _, context in
            let upload = try await uploads.status(try Self.uploadId(context), user: try context.requireUser())
            var headers = HTTPFields()
            headers[.uploadOffset] = String(upload.offset)
            headers[.uploadLength] = String(upload.length)
            headers[.uploadExpires] = Self.httpDate(upload.expiresAt)
            if let sha256 = upload.completedSHA256 { headers[.blobSHA256] = sha256 }
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers)
        }
        tus.patch(":id") { request, context in
            let user = try context.requireUser()
            let id = try Self.uploadId(context)
            do {
                let result = try await Self.append(request, to: id, user: user, uploads: uploads)
                var headers = HTTPFields()
                headers[.uploadOffset] = String(result.offset)
                if let expires = result.expiresAt { headers[.uploadExpires] = Self.httpDate(expires) }
                if let sha256 = result.completedSHA256 { headers[.blobSHA256] = sha256 }
                return Response(status: .noContent, headers: headers)
            } catch let error as ServiceError {
                // A refusal of an upload that still exists says where it stands (offset, expiry; the hash
                // once complete), as the 204 does, so the client can resume without a HEAD.
                var response = try error.response(from: request, context: context)
                if let current = try? await uploads.status(id, user: user) {
                    response.headers[.uploadOffset] = String(current.offset)
                    response.headers[.uploadExpires] = Self.httpDate(current.expiresAt)
                    if let sha256 = current.completedSHA256 { response.headers[.blobSHA256] = sha256 }
                }
                return response
            }
        }
        tus.delete(":id") { _, context in
            try await uploads.terminate(try Self.uploadId(context), user: try context.requireUser())
            return Response(status: .noContent)
        }

        router.head("/v1/blobs/:sha256") { _, context in
            let blob = try await readable(context)
            var headers = HTTPFields()
            headers[.contentLength] = String(blob.size)
            headers[.contentType] = blob.mime
            headers[.acceptRanges] = "bytes"
            return Response(status: .ok, headers: headers)
        }
        router.get("/v1/blobs/:sha256") { request, context in
            let blob = try await readable(context)
            return try await BlobResponse.make(uploads, blob: blob,
                                         range: request.headers[.range])
        }
    }

    private func readable(_ context: AppRequestContext) async throws -> BlobInfo {
        let user = try context.requireUser()
        let sha256 = context.parameters.get("sha256") ?? ""
        var found = try await uploads.readableBlob(sha256, user: user)
        if found == nil { found = try await portal.readableBlob(sha256, user: user) }
        guard let blob = found else {
            throw ServiceError(.notFound, code: "blob_not_found", en: "no such file, or you may not read it",
                               zh: "文件不存在或无权读取")
        }
        return blob
    }

    /// Checks a PATCH's headers and appends its body.
    static func append(_ request: Request, to id: UUID, user: AuthenticatedUser, uploads: UploadService)
        async throws -> AppendResult {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/offset+octet-stream") == true else {
            throw ServiceError(.unsupportedMediaType, code: "content_type",
                               en: "PATCH needs Content-Type: application/offset+octet-stream",
                               zh: "PATCH 请求的 Content-Type 须为 application/offset+octet-stream")
        }
        guard let text = request.headers[.uploadOffset], let offset = Int64(text), offset >= 0 else {
            throw ServiceError(.badRequest, code: "upload_offset_required",
                               en: "Upload-Offset must be a non-negative integer", zh: "缺少有效的 Upload-Offset")
        }
        let checksum = try request.headers[.uploadChecksum].map(UploadChecksum.parse)
        return try await uploads.append(id, user: user, offset: offset, checksum: checksum, body: request.body)
    }

    static func uploadId(_ context: AppRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(text: text) else {
            throw UploadService.notFound
        }
        return id
    }

    /// Parses `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent).
    static func parseMetadata(_ header: String) throws -> [String: String] {
        var metadata: [String: String] = [:]
        for pair in header.split(separator: ",") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
            guard let key = parts.first, parts.count <= 2 else { throw badMetadata }
            if parts.count == 2 {
                guard let data = Data(base64Encoded: String(parts[1])), let value = String(data: data, encoding: .utf8)
                else { throw badMetadata }
                metadata[String(key)] = value
            } else {
                metadata[String(key)] = ""
            }
        }
        return metadata
    }

    static let badMetadata = ServiceError(.badRequest, code: "metadata_malformed",
                                          en: "Upload-Metadata must be comma-separated 'key base64value' pairs",
                                          zh: "Upload-Metadata 格式不正确")

    /// An RFC 9110 date (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

/// Adds `Tus-Resumable` to every response of the upload endpoints, errors included, and refuses
/// other protocol versions with 412.
struct TusMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var response: Response
        if request.method != .options, request.headers[.tusResumable] != UploadController.tusVersion {
            response = try ServiceError(.preconditionFailed, code: "tus_version",
                                        en: "this server speaks tus \(UploadController.tusVersion); send Tus-Resumable: \(UploadController.tusVersion)",
                                        zh: "服务器仅支持 tus \(UploadController.tusVersion)")
                .response(from: request, context: context)
            response.headers[.tusVersion] = UploadController.tusVersion
        } else {
            response = await ErrorMiddleware<AppRequestContext>.respond(request, context: context, next: next)
        }
        response.headers[.tusResumable] = UploadController.tusVersion
        return response
    }
}

extension HTTPFields.Element.Name {
    static let tusResumable = Self("Tus-Resumable")!
    static let tusVersion = Self("Tus-Version")!
    static let tusExtension = Self("Tus-Extension")!
    static let tusMaxSize = Self("Tus-Max-Size")!
    static let tusChecksumAlgorithm = Self("Tus-Checksum-Algorithm")!
    static let uploadLength = Self("Upload-Length")!
    static let uploadOffset = Self("Upload-Offset")!
    static let uploadMetadata = Self("Upload-Metadata")!
    static let uploadExpires = Self("Upload-Expires")!
    static let uploadChecksum = Self("Upload-Checksum")!
    static let uploadDeferLength = Self("Upload-Defer-Length")!
    /// The SHA-256 of a completed upload's blob.
    static let blobSHA256 = Self("GreenMine-Blob-SHA256")!
}
