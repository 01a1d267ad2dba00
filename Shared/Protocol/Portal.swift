import Foundation

/// The technical-support contact (技术支持) the home page shows: the ministry's, or a province's for
/// the users of that province (`greenmine-server portal support`).
public struct SupportContact: Codable, Hashable, Sendable {
    /// The province-level division code it serves; nil: the ministry's, for everyone.
    public var province: String?
    /// Who answers (a unit or a person).
    public var name: String?
    public var phone: String?
    public var email: String?
    /// When they answer, e.g. 工作日 9:00–17:00.
    public var hours: String?
    public var updatedAt: Date

    public init(province: String?, name: String?, phone: String?, email: String?, hours: String?, updatedAt: Date) {
        self.province = province
        self.name = name
        self.phone = phone
        self.email = email
        self.hours = hours
        self.updatedAt = updatedAt
    }
}

/// A document published on the home page's downloads (资料下载), such as the indicator catalogue: the
/// ministry's go to everyone, a province's to the users of that province (`greenmine-server portal publish`).
/// Its bytes are read through `GET /v1/blobs/{sha256}`.
public struct PortalDownload: Codable, Hashable, Sendable {
    /// The server's number for it (what `greenmine downloads get N` names).
    public var id: Int
    public var title: String
    /// The file's name as published (shown only; never a path).
    public var name: String
    public var sha256: String
    public var size: Int64
    /// The media type, from the file's content.
    public var mime: String
    /// The province-level division code it is published to; nil: the ministry's, for everyone.
    public var province: String?
    public var publishedAt: Date

    public init(id: Int, title: String, name: String, sha256: String, size: Int64, mime: String, province: String?,
                publishedAt: Date) {
        self.id = id
        self.title = title
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.mime = mime
        self.province = province
        self.publishedAt = publishedAt
    }
}

/// `GET /v1/portal`: what the home page shows this user besides its records — the support contact
/// (its province's when it has one, else the ministry's) and the downloads published to it, newest first.
public struct PortalResponse: Codable, Hashable, Sendable {
    public var support: SupportContact?
    public var downloads: [PortalDownload]

    public init(support: SupportContact?, downloads: [PortalDownload]) {
        self.support = support
        self.downloads = downloads
    }
}
