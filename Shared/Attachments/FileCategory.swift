import Foundation

/// The broad kinds of file an attachment slot accepts.
public enum FileCategory: String, Codable, Hashable, Sendable, CaseIterable {
    case pdf
    case image
    case video

    /// The category's name for people.
    public var label: LocalizedText {
        switch self {
        case .pdf: LocalizedText(zh: "PDF", en: "PDF")
        case .image: LocalizedText(zh: "图片", en: "image")
        case .video: LocalizedText(zh: "视频", en: "video")
        }
    }
}
