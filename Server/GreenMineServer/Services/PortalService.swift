import Foundation
import GreenMineShared

/// The home page's support contact and downloads (issue 14): set and published by an administrator
/// (`greenmine-server portal …`), read by every signed-in user (`GET /v1/portal`). The ministry's
/// items reach everyone, a province's the users of that province; the ministry sees every province's.
public struct PortalService: Sendable {
    let store: any PortalStore
    let uploads: UploadService
    let environment: ServerEnvironment
    let regions: RegionTable

    public init(store: any PortalStore, uploads: UploadService, environment: ServerEnvironment,
                regions: RegionTable = .standard) {
        self.store = store
        self.uploads = uploads
        self.environment = environment
        self.regions = regions
    }

    /// What `user`'s home page shows: its province's support contact (else the ministry's) and the downloads for it.
    public func portal(for user: AuthenticatedUser) async throws -> PortalResponse {
        let provinces = self.provinces(of: user)
        let contacts = try await store.supportContacts()
        let own = provinces?.count == 1 ? contacts.first { $0.province == provinces?.first } : nil
        return PortalResponse(support: own ?? contacts.first { $0.province == nil },
                              downloads: try await store.downloads(provinces: provinces, withdrawn: false).map(\.download))
    }

    /// A published file `user` may read, by its SHA-256 (the blob route's second rule).
    public func readableBlob(_ sha256: String, user: AuthenticatedUser) async throws -> BlobInfo? {
        try await store.publishedBlob(sha256.lowercased(), provinces: provinces(of: user))
    }

    /// The provinces whose items `user` sees besides the ministry's: nil (all) for the ministry; the
    /// province of its region (a reviewer's, else its organisation's); none for an account with no region.
    func provinces(of user: AuthenticatedUser) -> [String]? {
        if user.info.role == .ministry { return nil }
        guard let region = user.info.region ?? user.orgRegion, let province = regions.province(of: region) else {
            return []
        }
        return [province.code]
    }

    /// The province-level code of `code` (any division inside it); nil for nil; refused when unknown.
    public func province(_ code: String?) throws -> String? {
        guard let code else { return nil }
        guard let province = regions.province(of: code.trimmingCharacters(in: .whitespaces)) else {
            throw ServiceError(.badRequest, code: "region_unknown", en: "no division with code \(code)",
                               zh: "行政区划代码 \(code) 不存在")
        }
        return province.code
    }

    /// Sets the support contact of a province (nil: the ministry's); at least one way to reach it.
    public func setSupport(province: String?, name: String?, phone: String?, email: String?, hours: String?)
        async throws -> SupportContact {
        let clean = { (text: String?) -> String? in
            let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return trimmed.isEmpty ? nil : String(trimmed.prefix(200))
        }
        guard clean(phone) != nil || clean(email) != nil else {
            throw ServiceError(.badRequest, code: "support_contact_empty", en: "give a phone number or an email address",
                               zh: "请至少给出电话或电子邮箱")
        }
        let contact = SupportContact(province: try self.province(province), name: clean(name), phone: clean(phone),
                                     email: clean(email), hours: clean(hours), updatedAt: environment.now())
        try await store.setSupport(contact)
        return contact
    }

    /// Every support contact, the ministry's first.
    public func supportContacts() async throws -> [SupportContact] {
        try await store.supportContacts()
    }

    /// Publishes the file at `path` under `title` to a province (nil: everyone). The type comes from
    /// the content (PDF, images, videos, as for attachments); the bytes are copied into the blob folder
    /// under their SHA-256, never held in memory.
    public func publish(path: String, title: String, province: String?) async throws -> PortalDownload {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else {
            throw ServiceError(.badRequest, code: "title_required", en: "give the download a title", zh: "请给出资料标题")
        }
        let scope = try self.province(province)
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw ServiceError(.badRequest, code: "file_unreadable", en: "cannot read \(path)", zh: "无法读取文件 \(path)")
        }
        defer { try? input.close() }
        let name = (path as NSString).lastPathComponent
        let file = try await uploads.receiving(name: name, limit: AttachmentRules.maxBytes)
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try await file.append(ArraySlice(chunk))
            }
        } catch is ReceivingFile.TooLarge {
            await uploads.discard(file)
            throw ServiceError(.tooLarge, code: "file_too_large",
                               en: "the file is larger than \(AttachmentRules.maxBytes) bytes",
                               zh: "文件超过 \(AttachmentRules.maxBytes) 字节")
        } catch {
            await uploads.discard(file)
            throw error
        }
        guard let type = ContentSniffer.detect(head: file.head) else {
            await uploads.discard(file)
            throw ServiceError(.unsupportedMediaType, code: "file_type",
                               en: "\(name) is not a PDF, image or video (judged by its content)",
                               zh: "\(name) 不是 PDF、图片或视频文件（按文件内容判断）")
        }
        let blob = try await uploads.keepPublished(file, type: type)
        return try await store.publish(title: String(title.prefix(200)), name: String(name.prefix(255)), blob: blob,
                                       province: scope, at: environment.now())
    }

    /// Withdraws a download: no one is offered it any more (clients drop it at their next sync).
    public func withdraw(_ id: Int) async throws {
        guard try await store.withdraw(id, at: environment.now()) else {
            throw ServiceError(.notFound, code: "download_not_found", en: "no published download \(id)",
                               zh: "没有编号为 \(id) 的已发布资料")
        }
    }

    /// Every download, withdrawn ones too (with when), newest first.
    public func allDownloads() async throws -> [(download: PortalDownload, withdrawnAt: Date?)] {
        try await store.downloads(provinces: nil, withdrawn: true)
    }
}
