import Foundation

/// A file type GreenMine accepts, as found from the file's content by `ContentSniffer`.
public enum ContentType: String, Codable, Hashable, Sendable, CaseIterable {
    case pdf
    case jpeg
    case png
    case webp
    case heic
    case mp4
    case mov

    /// The media type stored in `AttachmentRef.mime`.
    public var mime: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .heic: "image/heic"
        case .mp4: "video/mp4"
        case .mov: "video/quicktime"
        }
    }

    /// The category attachment slots accept or refuse.
    public var category: FileCategory {
        switch self {
        case .pdf: .pdf
        case .jpeg, .png, .webp, .heic: .image
        case .mp4, .mov: .video
        }
    }

    /// The format's short name (`PDF`, `JPEG`, …).
    public var formatName: String {
        switch self {
        case .pdf: "PDF"
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .heic: "HEIC"
        case .mp4: "MP4"
        case .mov: "MOV"
        }
    }

    /// The type's name for people, e.g. "PDF 文档" / "PDF document".
    public var label: LocalizedText {
        switch category {
        case .pdf: LocalizedText(zh: "\(formatName) 文档", en: "\(formatName) document")
        case .image: LocalizedText(zh: "\(formatName) 图片", en: "\(formatName) image")
        case .video: LocalizedText(zh: "\(formatName) 视频", en: "\(formatName) video")
        }
    }

    /// The type of a stored media type (case-insensitive, parameters ignored; `image/jpg`,
    /// `image/heif` and `video/mov` accepted as aliases); nil for any other type.
    public init?(mime: String) {
        let base = mime.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        switch base.trimmingCharacters(in: .whitespaces).lowercased() {
        case "application/pdf": self = .pdf
        case "image/jpeg", "image/jpg", "image/pjpeg": self = .jpeg
        case "image/png": self = .png
        case "image/webp": self = .webp
        case "image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence": self = .heic
        case "video/mp4": self = .mp4
        case "video/quicktime", "video/mov": self = .mov
        default: return nil
        }
    }

    /// The accepted formats listed for people: "PDF, JPEG, PNG, WebP, HEIC, MP4 or MOV".
    public static var acceptedList: LocalizedText {
        let names = allCases.map(\.formatName)
        let head = names.dropLast()
        let last = names.last ?? ""
        return LocalizedText(
            zh: head.joined(separator: "、") + " 或 " + last,
            en: head.joined(separator: ", ") + " or " + last)
    }
}
