import Foundation

/// The languages GreenMine speaks to its users.
public enum Language: String, Codable, Sendable, CaseIterable {
    case zh
    case en

    /// Chooses the language from a `LANG`-style value (`zh_CN.UTF-8` → zh); English otherwise.
    public static func from(localeIdentifier: String?) -> Language {
        guard let id = localeIdentifier?.lowercased(), !id.isEmpty else { return .en }
        return id.hasPrefix("zh") ? .zh : .en
    }
}

/// A text given in Chinese and in English.
public struct LocalizedText: Codable, Hashable, Sendable {
    /// The Chinese text.
    public var zh: String
    /// The English text.
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// The text in the given language.
    public func text(_ language: Language) -> String {
        language == .zh ? zh : en
    }
}

/// A broken rule: a stable machine code and a message in both languages that says what is wrong.
public struct RuleViolation: Error, Codable, Hashable, Sendable {
    /// Stable code, safe to match on in scripts and tests (e.g. `credit_code_check`).
    public var code: String
    /// What is wrong, for a person.
    public var message: LocalizedText

    public init(code: String, zh: String, en: String) {
        self.code = code
        self.message = LocalizedText(zh: zh, en: en)
    }

    public init(code: String, message: LocalizedText) {
        self.code = code
        self.message = message
    }
}
